//! Scheduling of judge calls, pure and natively tested: what to retry and when (`policy`), one
//! row's attempts (`attempt`), how many rows are out at once (`queue`) and whether the run
//! takes more (`control`), what a run sends (`plan`), and how far it got (`progress`). The one
//! async driver that does the calls lives in `driver` (browser only).

pub mod attempt;
pub mod control;
#[cfg(target_arch = "wasm32")]
pub mod driver;
pub mod plan;
pub mod policy;
pub mod progress;
pub mod queue;
