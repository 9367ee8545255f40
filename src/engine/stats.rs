//! The statistics behind the figures: numpy's mean, population standard deviation and
//! percentile, and a seeded percentile bootstrap.
//!
//! Means and standard deviations add the way numpy does (pairwise, blocks of 8), so they match
//! `metajudge_analysis.py` bit for bit in practice and to 1e-12 always.

use serde::{Deserialize, Serialize};

/// A mean with its 95% percentile bootstrap interval (`lo == hi == mean` when intervals are off).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stat {
    pub mean: f64,
    pub lo: f64,
    pub hi: f64,
}

/// Means of several equally long columns with percentile intervals from resampling rows
/// jointly (each resample draws one set of row indices for every column).
pub fn bootstrap<const N: usize>(
    columns: &[Vec<f64>; N],
    resamples: usize,
    seed: u64,
) -> [Stat; N] {
    let means = columns.each_ref().map(|c| mean(c));
    let n = columns.first().map_or(0, Vec::len);
    if resamples == 0 || n == 0 {
        return means.map(|m| Stat {
            mean: m,
            lo: m,
            hi: m,
        });
    }
    // Row-major: a drawn row's N values sit together, one cache line instead of N scattered
    // reads (the sums are the same additions in the same order, so the figures do not move).
    let rows: Vec<[f64; N]> = (0..n)
        .map(|i| std::array::from_fn(|c| columns[c][i]))
        .collect();
    let mut draws: [Vec<f64>; N] = std::array::from_fn(|_| Vec::with_capacity(resamples));
    for part in resample_parts(&rows, resamples, seed) {
        for (draw, means) in draws.iter_mut().zip(part) {
            draw.extend(means);
        }
    }
    let mut out = means.map(|m| Stat {
        mean: m,
        lo: m,
        hi: m,
    });
    for (stat, draw) in out.iter_mut().zip(draws.iter_mut()) {
        draw.sort_by(f64::total_cmp);
        stat.lo = percentile(draw, 0.025);
        stat.hi = percentile(draw, 0.975);
    }
    out
}

/// The means of every resample of `rows`, per column, in resample order, as parts to be
/// joined in order. Resample `r` takes draws `r * n .. (r + 1) * n` of the one seeded stream,
/// and a part starts the stream at its first draw (`SplitMix64::at_draw`), so the parts can be
/// computed on several threads (natively) and still give exactly the sequential means.
fn resample_parts<const N: usize>(
    rows: &[[f64; N]],
    resamples: usize,
    seed: u64,
) -> Vec<[Vec<f64>; N]> {
    let part = |range: std::ops::Range<usize>| resample_means(rows, range, seed);
    let threads = worker_threads(resamples.saturating_mul(rows.len()));
    if threads <= 1 {
        return vec![part(0..resamples)];
    }
    let per = resamples.div_ceil(threads);
    let ranges: Vec<_> = (0..resamples)
        .step_by(per)
        .map(|start| start..(start + per).min(resamples))
        .collect();
    parallel_map(ranges, &part)
}

/// Threads for `draws` draws: one below a few million (a thread costs more than it saves),
/// else every core (natively; the page's wasm has one thread).
fn worker_threads(draws: usize) -> usize {
    const DRAWS_PER_THREAD: usize = 4_000_000;
    if cfg!(target_arch = "wasm32") || draws < 2 * DRAWS_PER_THREAD {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get().min(draws / DRAWS_PER_THREAD))
}

#[cfg(not(target_arch = "wasm32"))]
fn parallel_map<I: Send, O: Send>(items: Vec<I>, f: &(impl Fn(I) -> O + Sync)) -> Vec<O> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .into_iter()
            .map(|item| scope.spawn(move || f(item)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

#[cfg(target_arch = "wasm32")]
fn parallel_map<I, O>(items: Vec<I>, f: &impl Fn(I) -> O) -> Vec<O> {
    items.into_iter().map(f).collect()
}

/// The means of resamples `range` of `rows`, per column.
fn resample_means<const N: usize>(
    rows: &[[f64; N]],
    range: std::ops::Range<usize>,
    seed: u64,
) -> [Vec<f64>; N] {
    let n = rows.len();
    let mut rng = SplitMix64::at_draw(seed, range.start as u64 * n as u64);
    let mut means: [Vec<f64>; N] = std::array::from_fn(|_| Vec::with_capacity(range.len()));
    for _ in range {
        let mut sums = [0.0; N];
        for _ in 0..n {
            let row = &rows[rng.below(n)];
            for (sum, value) in sums.iter_mut().zip(row) {
                *sum += value;
            }
        }
        for (column, sum) in means.iter_mut().zip(sums) {
            column.push(sum / n as f64);
        }
    }
    means
}

/// A statistic of `n` items (rows or models) with its 95% percentile interval from resampling
/// the items, drawn by the same generator as [`bootstrap`]. `statistic` gets one resample's
/// indices and may find the statistic undefined there (`None`, e.g. a rank correlation of a
/// resample whose values all tie): such resamples are counted, not used.
pub fn bootstrap_by(
    n: usize,
    resamples: usize,
    seed: u64,
    mut statistic: impl FnMut(&[usize]) -> Option<f64>,
) -> Resampled {
    let mut out = Resampled::default();
    if resamples == 0 || n == 0 {
        return out;
    }
    let mut rng = SplitMix64::new(seed);
    let mut draws = Vec::with_capacity(resamples);
    let mut indices = vec![0; n];
    for _ in 0..resamples {
        for idx in indices.iter_mut() {
            *idx = rng.below(n);
        }
        match statistic(&indices) {
            Some(value) if value.is_finite() => draws.push(value),
            _ => out.n_undefined += 1,
        }
    }
    if !draws.is_empty() {
        draws.sort_by(f64::total_cmp);
        out.interval = Some([percentile(&draws, 0.025), percentile(&draws, 0.975)]);
    }
    out
}

/// What [`bootstrap_by`] found: the interval of the defined resamples (none when intervals are
/// off or no resample was defined) and how many resamples were undefined.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Resampled {
    pub interval: Option<[f64; 2]>,
    pub n_undefined: usize,
}

/// numpy's `mean`: pairwise sum divided by the count (0 for no values).
pub fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    pairwise_sum(values) / values.len() as f64
}

/// numpy's `std` (population, `ddof = 0`).
pub fn population_std(values: &[f64]) -> f64 {
    let m = mean(values);
    let squares: Vec<f64> = values.iter().map(|v| (v - m) * (v - m)).collect();
    mean(&squares).sqrt()
}

/// Linear-interpolation percentile of sorted values (numpy's default method), `q` in 0..=1.
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let below = pos.floor() as usize;
    let above = (below + 1).min(sorted.len() - 1);
    sorted[below] + (sorted[above] - sorted[below]) * (pos - below as f64)
}

/// numpy's pairwise summation (`pairwise_sum` in its loops): plain loops below 8 values,
/// eight interleaved accumulators up to 128, halves above that.
fn pairwise_sum(a: &[f64]) -> f64 {
    const BLOCK: usize = 128;
    let n = a.len();
    if n < 8 {
        return a.iter().fold(0.0, |acc, v| acc + v);
    }
    if n <= BLOCK {
        let mut r = [0.0; 8];
        r.copy_from_slice(&a[..8]);
        let mut i = 8;
        while i < n - n % 8 {
            for j in 0..8 {
                r[j] += a[i + j];
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for v in &a[i..] {
            res += v;
        }
        return res;
    }
    let mut half = n / 2;
    half -= half % 8;
    pairwise_sum(&a[..half]) + pairwise_sum(&a[half..])
}

/// A small, fast generator whose stream never changes with a crate upgrade, so published
/// intervals stay reproducible (Steele, Lea and Flood's SplitMix64). Each 64-bit output gives
/// two 32-bit halves, each one index.
struct SplitMix64 {
    state: u64,
    spare: Option<u32>,
}

/// SplitMix64's increment: its state after k outputs is `seed + k * GAMMA`.
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

impl SplitMix64 {
    fn new(seed: u64) -> Self {
        SplitMix64 {
            state: seed,
            spare: None,
        }
    }

    /// The stream of `new(seed)` after `draw` calls of [`SplitMix64::below`] (each output
    /// gives two draws, its low half then its high half), reached in constant time.
    fn at_draw(seed: u64, draw: u64) -> Self {
        let mut rng = SplitMix64::new(seed.wrapping_add((draw / 2).wrapping_mul(GAMMA)));
        if draw % 2 == 1 {
            let r = rng.next();
            rng.spare = Some((r >> 32) as u32);
        }
        rng
    }

    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GAMMA);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform index in `0..n` by Lemire's multiply-shift on 32 bits: the bias is below
    /// n / 2^32 (under 1e-5 for 40,000 rows), far under a bootstrap's own noise, and the 64-bit
    /// multiply is cheap in WebAssembly where a 128-bit one is not.
    fn below(&mut self, n: usize) -> usize {
        let bits = match self.spare.take() {
            Some(bits) => bits,
            None => {
                let r = self.next();
                self.spare = Some((r >> 32) as u32);
                r as u32
            }
        };
        ((u64::from(bits) * n as u64) >> 32) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_sum(values: &[f64]) {
        let naive: f64 = values.iter().sum();
        let got = pairwise_sum(values);
        assert!(
            (got - naive).abs() <= 1e-9 * naive.abs().max(1.0),
            "{got} vs {naive}"
        );
    }

    #[test]
    fn pairwise_sum_adds_up_at_every_size() {
        for n in [
            0, 1, 7, 8, 9, 15, 16, 17, 127, 128, 129, 255, 256, 1000, 4097,
        ] {
            let values: Vec<f64> = (0..n).map(|i| (i as f64 * 0.37).sin().abs()).collect();
            check_sum(&values);
        }
    }

    #[test]
    fn a_stream_started_at_any_draw_continues_the_sequential_one() {
        let mut sequential = SplitMix64::new(42);
        let draws: Vec<usize> = (0..41).map(|_| sequential.below(1000)).collect();
        for start in 0..draws.len() {
            let mut rng = SplitMix64::at_draw(42, start as u64);
            let rest: Vec<usize> = (start..draws.len()).map(|_| rng.below(1000)).collect();
            assert_eq!(rest, draws[start..], "from draw {start}");
        }
    }

    /// The resample means as drawn one index at a time, the plain way.
    fn plain_means<const N: usize>(
        rows: &[[f64; N]],
        resamples: usize,
        seed: u64,
    ) -> [Vec<f64>; N] {
        let mut rng = SplitMix64::new(seed);
        let mut means: [Vec<f64>; N] = std::array::from_fn(|_| Vec::new());
        for _ in 0..resamples {
            let mut sums = [0.0; N];
            for _ in 0..rows.len() {
                let row = &rows[rng.below(rows.len())];
                for (sum, value) in sums.iter_mut().zip(row) {
                    *sum += value;
                }
            }
            for (column, sum) in means.iter_mut().zip(sums) {
                column.push(sum / rows.len() as f64);
            }
        }
        means
    }

    #[test]
    fn resampled_means_are_the_plain_ones_to_the_bit() {
        for n in [1, 2, 3, 8, 37, 1_000] {
            let mixed: Vec<[f64; 2]> = (0..n)
                .map(|i| [f64::from(i as u32 % 13) / 12.0, f64::from(i as u32 % 2)])
                .collect();
            let binary: Vec<[f64; 1]> = (0..n).map(|i| [f64::from(u8::from(i % 3 == 0))]).collect();
            let signed: Vec<[f64; 1]> = (0..n)
                .map(|i| [if i % 2 == 0 { -0.0 } else { 1.0 }])
                .collect();
            for resamples in [1, 2, 3, 50] {
                let as_bits = |c: &[Vec<f64>]| -> Vec<Vec<u64>> {
                    c.iter()
                        .map(|v| v.iter().map(|x| x.to_bits()).collect())
                        .collect()
                };
                assert_eq!(
                    as_bits(&resample_means(&mixed, 0..resamples, 3)),
                    as_bits(&plain_means(&mixed, resamples, 3)),
                    "mixed, n {n}"
                );
                assert_eq!(
                    as_bits(&resample_means(&binary, 0..resamples, 3)),
                    as_bits(&plain_means(&binary, resamples, 3)),
                    "binary, n {n}"
                );
                assert_eq!(
                    as_bits(&resample_means(&signed, 0..resamples, 3)),
                    as_bits(&plain_means(&signed, resamples, 3)),
                    "-0.0 and 1.0, n {n}"
                );
            }
        }
    }

    #[test]
    fn resamples_in_parts_give_exactly_the_sequential_means() {
        // An odd number of rows, so that parts start both on a low and on a high half.
        let rows: Vec<[f64; 2]> = (0..4_999)
            .map(|i| [f64::from(i % 13) / 12.0, f64::from(i % 2)])
            .collect();
        let whole = resample_means(&rows, 0..1_700, 9);
        for cut in [1, 7, 850, 1_699] {
            let mut joined = resample_means(&rows, 0..cut, 9);
            let [a, b] = resample_means(&rows, cut..1_700, 9);
            joined[0].extend(a);
            joined[1].extend(b);
            assert_eq!(joined, whole, "cut at {cut}");
        }
        // 8.5 M draws: on two or more cores, the threaded path.
        let parts = resample_parts(&rows, 1_700, 9);
        let mut joined: [Vec<f64>; 2] = Default::default();
        for part in parts {
            joined[0].extend(&part[0]);
            joined[1].extend(&part[1]);
        }
        assert_eq!(joined, whole);
    }

    #[test]
    fn std_is_the_population_one() {
        assert_eq!(population_std(&[1.0, 3.0]), 1.0);
        assert_eq!(population_std(&[2.0]), 0.0);
    }

    #[test]
    fn percentile_interpolates_like_numpy() {
        let sorted = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile(&sorted, 0.0), 1.0);
        assert_eq!(percentile(&sorted, 1.0), 4.0);
        assert!((percentile(&sorted, 0.025) - 1.075).abs() < 1e-12);
        assert!((percentile(&sorted, 0.975) - 3.925).abs() < 1e-12);
    }

    #[test]
    fn bootstrap_is_reproducible_and_brackets_the_mean() {
        let column: Vec<f64> = (0..200).map(|i| f64::from(i % 7) / 6.0).collect();
        let [a] = bootstrap(std::array::from_ref(&column), 1000, 7);
        let [b] = bootstrap(std::array::from_ref(&column), 1000, 7);
        let [c] = bootstrap(&[column], 1000, 8);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(a.lo < a.mean && a.mean < a.hi, "{a:?}");
        // The standard error of this column is about 0.022, so the 95% interval is about ±0.044.
        assert!((a.hi - a.lo) > 0.06 && (a.hi - a.lo) < 0.12, "{a:?}");
    }

    /// Several columns resampled jointly (rows laid out together) give each column exactly
    /// the interval of that column's mean over the same drawn rows.
    #[test]
    fn joint_resampling_gives_each_column_its_own_interval() {
        let columns: [Vec<f64>; 3] = std::array::from_fn(|c| {
            (0..97)
                .map(|i| f64::from((i * (c as u32 + 3)) % 11) / 10.0)
                .collect()
        });
        let joint = bootstrap(&columns, 400, 21);
        for (c, column) in columns.iter().enumerate() {
            let by = bootstrap_by(97, 400, 21, |idx| {
                Some(idx.iter().map(|&i| column[i]).sum::<f64>() / 97.0)
            });
            let [lo, hi] = by.interval.expect("defined");
            assert_eq!((joint[c].lo, joint[c].hi), (lo, hi), "column {c}");
        }
    }

    #[test]
    fn a_statistic_of_resampled_items_reuses_the_generator() {
        // The mean through `bootstrap_by` draws the same indices as `bootstrap`.
        let column: Vec<f64> = (0..50).map(|i| f64::from(i % 5)).collect();
        let [by_means] = bootstrap(std::array::from_ref(&column), 300, 9);
        let by = bootstrap_by(50, 300, 9, |idx| {
            Some(idx.iter().map(|&i| column[i]).sum::<f64>() / 50.0)
        });
        assert_eq!(by.n_undefined, 0);
        let [lo, hi] = by.interval.expect("defined");
        assert!((lo - by_means.lo).abs() < 1e-12 && (hi - by_means.hi).abs() < 1e-12);
        // Undefined resamples are counted and left out; intervals off give none.
        let none = bootstrap_by(5, 40, 1, |_| None);
        assert_eq!((none.interval, none.n_undefined), (None, 40));
        assert_eq!(bootstrap_by(5, 0, 1, |_| Some(1.0)), Resampled::default());
    }

    #[test]
    fn constant_columns_have_no_spread() {
        let [s] = bootstrap(&[vec![0.25; 50]], 200, 1);
        assert_eq!((s.lo, s.mean, s.hi), (0.25, 0.25, 0.25));
        let [off] = bootstrap(&[vec![0.0, 1.0]], 0, 1);
        assert_eq!((off.lo, off.mean, off.hi), (0.5, 0.5, 0.5));
    }

    #[test]
    fn random_indices_cover_the_range_evenly() {
        let mut rng = SplitMix64::new(1);
        let mut counts = [0usize; 10];
        for _ in 0..100_000 {
            counts[rng.below(10)] += 1;
        }
        assert!(
            counts.iter().all(|&c| (9_500..10_500).contains(&c)),
            "{counts:?}"
        );
    }
}
