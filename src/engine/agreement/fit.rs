//! The least-squares line of y on x, its R^2, and the RMSE of y - x (SPEC section 10).

use serde::{Deserialize, Serialize};

use super::measure::{Measure, Undefined};
use crate::engine::stats::mean;

/// The line y = slope x + intercept fitted by least squares, with R^2 (the share of y's
/// variance the line explains, here the squared Pearson correlation) and the root mean square
/// of y - x (how far the points lie from the diagonal y = x, not from the line).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LineFit {
    pub n: usize,
    pub slope: Measure,
    pub intercept: Measure,
    pub r2: Measure,
    pub rmse: Measure,
}

/// Fits y on x. `xs` and `ys` are paired by position; extra values of the longer are ignored.
/// Constant x leaves slope, intercept and R^2 undefined; constant y (x varying) gives slope 0
/// and leaves R^2 undefined (there is no variance to explain).
pub fn fit_line(xs: &[f64], ys: &[f64]) -> LineFit {
    let n = xs.len().min(ys.len());
    let (xs, ys) = (&xs[..n], &ys[..n]);
    let rmse = if n == 0 {
        Err(Undefined::NoValues)
    } else {
        let squares: Vec<f64> = xs.iter().zip(ys).map(|(x, y)| (y - x) * (y - x)).collect();
        Ok(mean(&squares).sqrt())
    };
    let moments = match moments(xs, ys) {
        Ok(m) => m,
        Err(why) => {
            return LineFit {
                n,
                slope: Err(why),
                intercept: Err(why),
                r2: Err(why),
                rmse,
            }
        }
    };
    let slope = moments.sxy / moments.sxx;
    let r2 = if moments.y_constant {
        Err(Undefined::ConstantY)
    } else {
        Ok(moments.sxy * moments.sxy / (moments.sxx * moments.syy))
    };
    LineFit {
        n,
        slope: Ok(slope),
        intercept: Ok(moments.my - slope * moments.mx),
        r2,
        rmse,
    }
}

/// Pearson's correlation of x and y: undefined when either is constant.
pub fn pearson(xs: &[f64], ys: &[f64]) -> Measure {
    let m = moments(xs, ys)?;
    if m.y_constant {
        return Err(Undefined::ConstantY);
    }
    Ok((m.sxy / (m.sxx * m.syy).sqrt()).clamp(-1.0, 1.0))
}

/// Means and centred sums of squares and products of paired values.
struct Moments {
    mx: f64,
    my: f64,
    sxx: f64,
    syy: f64,
    sxy: f64,
    y_constant: bool,
}

/// The moments of x and y, or why a line cannot be fitted (too few values, constant x). A
/// constant is found by comparing the values, not by a sum of squares being 0, which rounding
/// can miss.
fn moments(xs: &[f64], ys: &[f64]) -> Result<Moments, Undefined> {
    let n = xs.len().min(ys.len());
    let (xs, ys) = (&xs[..n], &ys[..n]);
    match n {
        0 => return Err(Undefined::NoValues),
        1 => return Err(Undefined::OneValue),
        _ => {}
    }
    let constant = |v: &[f64]| v.iter().all(|&x| x == v[0]);
    if constant(xs) {
        return Err(Undefined::ConstantX);
    }
    let (mx, my) = (mean(xs), mean(ys));
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
        sxy += (x - mx) * (y - my);
    }
    Ok(Moments {
        mx,
        my,
        sxx,
        syy,
        sxy,
        y_constant: constant(ys),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::agreement::measure::assert_measure;

    /// Expected (slope, intercept, r2, rmse), each a value or the reason for none.
    #[track_caller]
    fn check(xs: &[f64], ys: &[f64], expected: [Measure; 4]) {
        let fit = fit_line(xs, ys);
        let got = [fit.slope, fit.intercept, fit.r2, fit.rmse];
        for (name, (g, e)) in ["slope", "intercept", "r2", "rmse"]
            .iter()
            .zip(got.into_iter().zip(expected))
        {
            assert_measure(&format!("{name} of {xs:?}, {ys:?}"), g, e);
        }
    }

    #[test]
    fn figures_match_the_hand_computation() {
        // x = 0 1 2 3, y = 0 2 1 3: means 1.5; dx = dy' = -1.5 -0.5 0.5 1.5 (dy: -1.5 0.5
        // -0.5 1.5); Sxy = 2.25 - 0.25 - 0.25 + 2.25 = 4, Sxx = Syy = 5. Slope 4/5 = 0.8,
        // intercept 1.5 - 0.8 * 1.5 = 0.3, R^2 = 16/25 = 0.64; y - x = 0 1 -1 0, RMSE
        // sqrt(2/4) = 0.7071.
        check(
            &[0.0, 1.0, 2.0, 3.0],
            &[0.0, 2.0, 1.0, 3.0],
            [Ok(0.8), Ok(0.3), Ok(0.64), Ok(0.5f64.sqrt())],
        );
        // y = x exactly: slope 1, intercept 0, R^2 1, RMSE 0.
        check(
            &[0.2, 0.3, 0.4],
            &[0.2, 0.3, 0.4],
            [Ok(1.0), Ok(0.0), Ok(1.0), Ok(0.0)],
        );
    }

    #[test]
    fn constant_x_leaves_the_line_undefined() {
        let why = Err(Undefined::ConstantX);
        // RMSE of y - x: (0.1^2 + 0.1^2 + 0) / 3 = 0.02 / 3.
        check(
            &[0.3, 0.3, 0.3],
            &[0.2, 0.4, 0.3],
            [why, why, why, Ok((0.02f64 / 3.0).sqrt())],
        );
        assert_eq!(pearson(&[0.3, 0.3], &[0.1, 0.2]), why);
    }

    #[test]
    fn constant_y_has_a_flat_line_but_no_r2() {
        // Slope 0, intercept the mean of y; y - x = 0.3 0.2 0.1, RMSE sqrt(0.14 / 3).
        check(
            &[0.1, 0.2, 0.3],
            &[0.4, 0.4, 0.4],
            [
                Ok(0.0),
                Ok(0.4),
                Err(Undefined::ConstantY),
                Ok((0.14f64 / 3.0).sqrt()),
            ],
        );
    }

    #[test]
    fn too_few_values_are_said_so() {
        let none = Err(Undefined::NoValues);
        check(&[], &[], [none, none, none, none]);
        let one = Err(Undefined::OneValue);
        check(&[0.5], &[0.25], [one, one, one, Ok(0.25)]);
    }
}
