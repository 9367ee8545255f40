//! Components: props in, view out. They never fetch and never touch storage.

pub mod breakdown_table;
pub mod columns;
pub mod demo_banner;
pub mod file_drop;
pub mod leaderboard;
pub mod load_list;
pub mod options_bar;
pub mod problems_panel;
pub mod scatter_chart;
pub mod source_list;
