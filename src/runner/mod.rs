//! Scheduling of judge calls, pure and natively tested: what to retry and when (`policy`), one
//! row's attempts (`attempt`), how many rows are out at once (`queue`) and whether the run
//! takes more (`control`), what a run sends (`plan`) and the request each row sends
//! (`request`), and how far it got (`progress`). The async driver that does the calls is
//! `state::driver` (browser only).

pub mod attempt;
pub mod control;
pub mod plan;
pub mod policy;
pub mod progress;
pub mod queue;
pub mod request;
