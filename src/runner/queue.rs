//! The work list of a run and its concurrency accounting: at most `limit` rows are being worked
//! on at once, and every row taken is either finished or put back.

use std::collections::VecDeque;

/// Rows waiting, rows in progress, and the most ever in progress at once.
#[derive(Clone, Debug, Default)]
pub struct Queue<T> {
    pending: VecDeque<T>,
    in_flight: usize,
    limit: usize,
    peak: usize,
}

impl<T> Queue<T> {
    /// A queue of `items` served at most `limit` at a time (a limit of 0 counts as 1).
    pub fn new(items: impl IntoIterator<Item = T>, limit: usize) -> Self {
        Queue {
            pending: items.into_iter().collect(),
            in_flight: 0,
            limit: limit.max(1),
            peak: 0,
        }
    }

    /// The next row, unless `limit` rows are already in progress or none is left.
    pub fn take(&mut self) -> Option<T> {
        if self.in_flight >= self.limit {
            return None;
        }
        let item = self.pending.pop_front()?;
        self.in_flight += 1;
        self.peak = self.peak.max(self.in_flight);
        Some(item)
    }

    /// A row taken earlier is done (answered, failed for good, or abandoned).
    pub fn finish(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    /// A row taken earlier goes back to the front, to be taken first (after a pause).
    pub fn put_back(&mut self, item: T) {
        self.finish();
        self.pending.push_front(item);
    }

    /// Drops every waiting row (a cancel); rows in progress finish on their own.
    pub fn clear(&mut self) {
        self.pending.clear();
    }

    pub fn in_flight(&self) -> usize {
        self.in_flight
    }

    pub fn n_pending(&self) -> usize {
        self.pending.len()
    }

    pub fn peak(&self) -> usize {
        self.peak
    }

    pub fn limit(&self) -> usize {
        self.limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_more_than_the_limit_in_progress() {
        let mut queue = Queue::new(0..100, 8);
        let mut taken = Vec::new();
        while let Some(item) = queue.take() {
            taken.push(item);
        }
        assert_eq!(taken, (0..8).collect::<Vec<_>>());
        assert_eq!((queue.in_flight(), queue.n_pending()), (8, 92));
        queue.finish();
        assert_eq!(queue.take(), Some(8));
        assert_eq!(queue.take(), None);
        assert_eq!(queue.peak(), 8);
    }

    #[test]
    fn a_simulated_run_finishes_every_row_once() {
        // Workers finish in a scrambled order; every row is taken exactly once.
        let mut queue = Queue::new(0..1000, 50);
        let mut active: Vec<usize> = Vec::new();
        let mut done = vec![0u8; 1000];
        let mut step = 0usize;
        loop {
            while let Some(item) = queue.take() {
                active.push(item);
            }
            if active.is_empty() {
                break;
            }
            step = (step * 31 + 7) % active.len().max(1);
            let item = active.swap_remove(step % active.len());
            done[item] += 1;
            queue.finish();
            assert!(queue.in_flight() <= 50);
        }
        assert!(done.iter().all(|&d| d == 1));
        assert_eq!(queue.peak(), 50);
    }

    #[test]
    fn put_back_rows_come_first_and_clear_keeps_rows_in_progress() {
        let mut queue = Queue::new(["a", "b", "c"], 2);
        let a = queue.take().unwrap();
        queue.put_back(a);
        assert_eq!(queue.take(), Some("a"));
        assert_eq!(queue.take(), Some("b"));
        queue.clear();
        assert_eq!((queue.in_flight(), queue.n_pending()), (2, 0));
        queue.finish();
        queue.finish();
        queue.finish();
        assert_eq!(
            queue.in_flight(),
            0,
            "finishing more than taken does not underflow"
        );
        assert_eq!(Queue::new([1], 0).limit(), 1);
    }
}
