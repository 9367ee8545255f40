//! Components: props in, view out. They never fetch and never touch storage.

pub mod breakdown_table;
pub mod columns;
pub mod connection_status;
pub mod cost_form;
pub mod demo_banner;
pub mod endpoint_form;
pub mod file_drop;
pub mod leaderboard;
pub mod load_list;
pub mod number_field;
pub mod options_bar;
pub mod problems_panel;
pub mod run_exports;
pub mod run_progress;
pub mod run_source;
pub mod saved_runs;
pub mod scatter_chart;
pub mod source_list;
pub mod template_editor;
