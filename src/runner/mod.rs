//! Scheduling of judge calls, pure and natively tested: what to retry and when (`policy`), one
//! row's attempts (`attempt`), how many rows are out at once (`queue`) and whether the run
//! takes more (`control`), when a dead endpoint halts it (`streak`), what a run sends (`plan`)
//! and the request each row sends in any stage (`request`), what an evaluation is
//! (`evaluation`), its stages and the data set each later stage reads (`stages`), and how far it got (`progress`); a run as batch files and back (`batch`). The run's
//! vocabulary lives here too, below every user of it: the setup form and its checks (`form`),
//! where a run stands (`status`), a failed connection test in plain words (`diagnosis`). The
//! async driver that does the calls is `state::driver` (browser only).

pub mod attempt;
pub mod batch;
pub mod control;
pub mod diagnosis;
pub mod evaluation;
pub mod form;
pub mod plan;
pub mod policy;
pub mod progress;
pub mod queue;
pub mod request;
pub mod stages;
pub mod status;
pub mod streak;
