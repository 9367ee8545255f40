//! Where a run stands, and how the page names and explains each state.

/// Where a run stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum RunStatus {
    #[default]
    Idle,
    Running,
    /// Asked to pause or cancel; calls in flight are finishing.
    Stopping,
    Paused,
    Finished,
    Cancelled,
    BudgetReached,
    /// Stopped on a failure no retry can fix (bad key, unknown model, storage full).
    Halted(String),
    /// Could not start (missing key, no data set, ...).
    Refused(String),
}

impl RunStatus {
    /// Calls are out, or are finishing: the figures are live and a new run cannot start.
    pub fn is_busy(&self) -> bool {
        matches!(self, RunStatus::Running | RunStatus::Stopping)
    }

    /// Stopped with rows left that "Resume" can send.
    pub fn is_resumable(&self) -> bool {
        matches!(
            self,
            RunStatus::Paused
                | RunStatus::Cancelled
                | RunStatus::BudgetReached
                | RunStatus::Halted(_)
        )
    }

    /// A stable name for the page's `data-status` attribute (the end-to-end tests read it).
    pub fn name(&self) -> &'static str {
        match self {
            RunStatus::Idle => "idle",
            RunStatus::Running => "running",
            RunStatus::Stopping => "stopping",
            RunStatus::Paused => "paused",
            RunStatus::Finished => "finished",
            RunStatus::Cancelled => "cancelled",
            RunStatus::BudgetReached => "budget",
            RunStatus::Halted(_) => "halted",
            RunStatus::Refused(_) => "refused",
        }
    }

    /// The sentence the progress panel shows.
    pub fn text(&self) -> String {
        match self {
            RunStatus::Idle => "No run yet.".into(),
            RunStatus::Running => "Running.".into(),
            RunStatus::Stopping => "Stopping: waiting for the calls in flight.".into(),
            RunStatus::Paused => "Paused. Every answer so far is saved in this browser.".into(),
            RunStatus::Finished => "Finished.".into(),
            RunStatus::Cancelled => {
                "Cancelled. The answers so far are saved; Resume sends the rest.".into()
            }
            RunStatus::BudgetReached => {
                "Stopped at the budget. Raise it in the form of a new run, or resume to go on."
                    .into()
            }
            RunStatus::Halted(why) => {
                format!("Stopped: {why}. Fix it (Test connection helps), then resume.")
            }
            RunStatus::Refused(why) => format!("Cannot start: {why}."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(status: RunStatus, name: &str, busy: bool, resumable: bool) {
        assert_eq!(status.name(), name, "{status:?}");
        assert_eq!(status.is_busy(), busy, "{status:?}");
        assert_eq!(status.is_resumable(), resumable, "{status:?}");
    }

    #[test]
    fn each_status_has_its_name_and_buttons() {
        check(RunStatus::Idle, "idle", false, false);
        check(RunStatus::Running, "running", true, false);
        check(RunStatus::Stopping, "stopping", true, false);
        check(RunStatus::Paused, "paused", false, true);
        check(RunStatus::Finished, "finished", false, false);
        check(RunStatus::Cancelled, "cancelled", false, true);
        check(RunStatus::BudgetReached, "budget", false, true);
        check(RunStatus::Halted("x".into()), "halted", false, true);
        check(RunStatus::Refused("x".into()), "refused", false, false);
    }

    #[test]
    fn stops_and_refusals_say_why() {
        assert_eq!(
            RunStatus::Halted("HTTP 401".into()).text(),
            "Stopped: HTTP 401. Fix it (Test connection helps), then resume."
        );
        assert_eq!(
            RunStatus::Refused("enter the API key".into()).text(),
            "Cannot start: enter the API key."
        );
    }
}
