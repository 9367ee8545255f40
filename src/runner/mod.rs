//! Scheduling of judge calls. Pure policy, natively tested: what to retry and when (`policy`),
//! how many rows are out at once (`queue`), what a run sends (`plan`), and how far it got
//! (`progress`). The one async driver that does the calls lives in `driver` (browser only).

pub mod diagnosis;
#[cfg(target_arch = "wasm32")]
pub mod driver;
pub mod form;
pub mod plan;
pub mod policy;
pub mod progress;
pub mod queue;
pub mod status;
