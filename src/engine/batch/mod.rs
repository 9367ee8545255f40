//! Batch hand-off (SPEC section 9): a run's calls written out as OpenAI Batch API input files
//! (`input`, each line named by a `custom_id`), and the engines' output files read back into
//! the run's answers (`output` reads a line, `import` fills the run, `summary` counts what it
//! read). `run_id` names a run that is not stored (the command line's).

pub mod custom_id;
pub mod import;
pub mod input;
pub mod output;
pub mod run_id;
pub mod summary;
