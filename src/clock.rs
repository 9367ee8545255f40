//! Time in the browser: a monotonic clock, the wall clock, and waiting without blocking.

use gloo_timers::future::TimeoutFuture;

/// Milliseconds since the page started (monotonic).
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Milliseconds since 1970 (for dates shown to the user and stored with runs).
pub fn epoch_ms() -> f64 {
    js_sys::Date::now()
}

/// Waits `ms` milliseconds.
pub async fn sleep_ms(ms: f64) {
    TimeoutFuture::new(ms.clamp(0.0, f64::from(u32::MAX)) as u32).await;
}

/// Waits for the next turn of the event loop, so the page can paint.
pub async fn next_task() {
    sleep_ms(0.0).await;
}

/// Long work in slices: [`Slices::turn`] gives the browser a turn at its first call and
/// whenever the work since the last turn has taken longer than a slice, so no task of the work
/// runs much longer than one slice.
pub struct Slices {
    slice_ms: f64,
    since: f64,
}

impl Slices {
    pub fn new(slice_ms: f64) -> Self {
        Slices {
            slice_ms,
            since: f64::NEG_INFINITY,
        }
    }

    /// Gives the browser a turn when the slice is spent; says whether it did.
    pub async fn turn(&mut self) -> bool {
        if now_ms() - self.since <= self.slice_ms {
            return false;
        }
        next_task().await;
        self.since = now_ms();
        true
    }
}
