//! The statistics engine for survey answers: plain numbers in, plain results out.
//!
//! Every function validates its input and returns a [`StatsError`] instead of panicking
//! (empty answers, a single answer, zero variance, a level outside (0, 1), a label off the
//! scale). Every interval carries the [`IntervalMethod`] that produced it, so a report can
//! say how it was computed. The results are checked against scipy and statsmodels on the
//! ANES 1996 survey in `tests/survey_stats.rs` (fixtures made by
//! `scripts/peers/survey_fixtures.sh`).

use std::collections::BTreeMap;
use std::fmt::Display;

use crate::reason::Reason;
use serde::Serialize;
use statrs::distribution::{ChiSquared, Continuous, ContinuousCDF, Normal, StudentsT};
use utoipa::ToSchema;

/// Why a statistic could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StatsError {
    /// Fewer observations than the statistic needs (a mean needs one, a standard
    /// deviation two).
    #[error("{what} needs at least {needed} observations, got {got}")]
    TooFewObservations {
        what: &'static str,
        needed: usize,
        got: usize,
    },
    /// The confidence level is not strictly between 0 and 1.
    #[error("confidence level must lie strictly between 0 and 1, got {0}")]
    InvalidLevel(f64),
    /// An observation is NaN or infinite.
    #[error("observation {index} is not a finite number")]
    NotFinite { index: usize },
    /// An observation is not a whole point of the scale.
    #[error("observation {index} ({value}) is not a point of the scale {low}..={high}")]
    OffScale {
        index: usize,
        value: f64,
        low: i32,
        high: i32,
    },
    /// The scale bounds make no sense for the statistic.
    #[error("invalid scale {low}..={high}: {reason}")]
    InvalidScale {
        low: i32,
        high: i32,
        reason: &'static str,
    },
    /// Two inputs that pair up element by element have different lengths.
    #[error("{left} and {right} must have the same length, got {left_len} and {right_len}")]
    LengthMismatch {
        left: &'static str,
        right: &'static str,
        left_len: usize,
        right_len: usize,
    },
    /// A proportion was given more successes than answers.
    #[error("{successes} successes out of {n} answers is impossible")]
    SuccessesExceedTotal { successes: u64, n: u64 },
    /// Both groups have zero variance, so the standard error is 0 and t is undefined.
    #[error("both groups have zero variance, so the t statistic is undefined")]
    ZeroVariance,
    /// A contingency table needs two rows and two columns to test anything.
    #[error("the table needs at least two rows and two columns, got {rows}x{columns}")]
    TableTooSmall { rows: usize, columns: usize },
    /// A row of a contingency table has a different number of cells than the first.
    #[error("table row {row} has {got} cells, expected {expected}")]
    RaggedTable {
        row: usize,
        expected: usize,
        got: usize,
    },
    /// A row or column of a contingency table has no observations, so its expected
    /// counts are 0 and the chi-square statistic is undefined.
    #[error("table {axis} {index} has no observations")]
    EmptyMargin { axis: &'static str, index: usize },
    /// All labels of both coders are one and the same category: chance agreement is 1
    /// and kappa is 0/0.
    #[error(
        "chance agreement is 1 (both coders used a single, shared label), so kappa is undefined"
    )]
    UndefinedKappa,
    /// The answers are so large that a sum or square overflows double precision.
    #[error("the values are too large to compute {0} in double precision")]
    Overflow(&'static str),
    /// A distribution could not be built from the computed parameters (a bug if seen).
    #[error("could not build the {0} distribution")]
    Distribution(&'static str),
}

impl StatsError {
    /// The error as a reason code with its numbers, so a page can say it in the
    /// reader's language (the Display text stays the English sentence). Fractions
    /// (a level, an observation) are carried as text written with `{}`.
    pub fn reason(&self) -> Reason {
        let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        match *self {
            StatsError::TooFewObservations { needed, got, .. } => {
                Reason::TooFewObservations { needed, got }
            }
            StatsError::InvalidLevel(level) => Reason::InvalidLevel {
                value: format!("{level}"),
            },
            StatsError::NotFinite { index } => Reason::NotFinite { index },
            StatsError::OffScale {
                index,
                value,
                low,
                high,
            } => Reason::OffScale {
                index,
                value: format!("{value}"),
                low: low.into(),
                high: high.into(),
            },
            // The bounds tell which rule the scale broke: no room for two points, more
            // than MAX_SCALE_POINTS, or (top-two-box) fewer than three.
            StatsError::InvalidScale { low, high, .. } => {
                let points = i64::from(high) - i64::from(low) + 1;
                if points > MAX_SCALE_POINTS {
                    Reason::ScaleTooLong {
                        low: low.into(),
                        high: high.into(),
                        max: MAX_SCALE_POINTS as usize,
                    }
                } else {
                    Reason::ScaleTooShort {
                        low: low.into(),
                        high: high.into(),
                        min: if points < 2 { 2 } else { 3 },
                    }
                }
            }
            StatsError::LengthMismatch {
                left,
                right,
                left_len,
                right_len,
            } => Reason::LengthMismatch {
                left: left.to_string(),
                right: right.to_string(),
                left_len,
                right_len,
            },
            StatsError::SuccessesExceedTotal { successes, n } => Reason::SuccessesExceedTotal {
                successes: count(successes),
                n: count(n),
            },
            StatsError::ZeroVariance => Reason::ZeroVariance,
            StatsError::TableTooSmall { rows, columns } => Reason::TableTooSmall { rows, columns },
            StatsError::RaggedTable { row, expected, got } => {
                Reason::RaggedTable { row, expected, got }
            }
            StatsError::EmptyMargin { axis, index } => Reason::EmptyMargin {
                axis: axis.to_string(),
                index,
            },
            StatsError::UndefinedKappa => Reason::UndefinedKappa,
            StatsError::Overflow(_) => Reason::Overflow,
            StatsError::Distribution(name) => Reason::NoDistribution {
                name: name.to_string(),
            },
        }
    }
}

/// How a confidence interval was computed, so the UI can name the method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IntervalMethod {
    /// mean ± t(1 − α/2, n − 1) · s/√n.
    StudentT,
    /// Wilson score interval for a binomial proportion (Wilson 1927).
    Wilson,
    /// Normal approximation for NPS: the difference of two proportions of one
    /// multinomial sample, var = (p_p + p_d − (p_p − p_d)²)/n, clipped to [−100, 100].
    NpsNormalMultinomial,
    /// Difference of two means with Welch–Satterthwaite degrees of freedom.
    WelchSatterthwaite,
    /// Kappa ± z · se with the large-sample variance of Fleiss, Cohen & Everitt (1969).
    KappaAsymptoticNormal,
}

/// A two-sided confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct ConfidenceInterval {
    /// Confidence level, e.g. 0.95.
    pub level: f64,
    pub lower: f64,
    pub upper: f64,
    pub method: IntervalMethod,
}

/// A response scale of consecutive whole points `low..=high` (1..=5, 1..=7, 0..=10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Scale {
    low: i32,
    high: i32,
}

/// The most points a scale may have: enough for a 0..=100 slider with room to spare,
/// few enough that a distribution table stays small.
pub const MAX_SCALE_POINTS: i64 = 1001;

impl Scale {
    /// A scale `low..=high`; it needs at least two points and at most [`MAX_SCALE_POINTS`].
    pub fn new(low: i32, high: i32) -> Result<Self, StatsError> {
        if high <= low {
            return Err(StatsError::InvalidScale {
                low,
                high,
                reason: "needs at least two points",
            });
        }
        if i64::from(high) - i64::from(low) + 1 > MAX_SCALE_POINTS {
            return Err(StatsError::InvalidScale {
                low,
                high,
                reason: "has too many points",
            });
        }
        Ok(Self { low, high })
    }

    /// The usual k-point scale `1..=k`.
    pub fn one_to(k: i32) -> Result<Self, StatsError> {
        Self::new(1, k)
    }

    /// The 0..=10 "how likely are you to recommend" scale of NPS.
    pub fn zero_to_ten() -> Self {
        Self { low: 0, high: 10 }
    }

    pub fn low(&self) -> i32 {
        self.low
    }

    pub fn high(&self) -> i32 {
        self.high
    }

    /// Number of points on the scale.
    pub fn len(&self) -> usize {
        // Bounded by MAX_SCALE_POINTS in `new`, so the cast cannot truncate.
        (i64::from(self.high) - i64::from(self.low) + 1) as usize
    }

    /// Never true: a scale has at least two points.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The position of an answer on the scale, or an error naming the observation.
    fn position(&self, index: usize, value: f64) -> Result<usize, StatsError> {
        if !value.is_finite() {
            return Err(StatsError::NotFinite { index });
        }
        let off = || StatsError::OffScale {
            index,
            value,
            low: self.low,
            high: self.high,
        };
        if value.fract() != 0.0 || value < f64::from(self.low) || value > f64::from(self.high) {
            return Err(off());
        }
        // Whole and within i32 bounds, checked above.
        Ok((value as i64 - i64::from(self.low)) as usize)
    }

    /// Counts per point, in scale order; fails on the first answer off the scale.
    fn counts(&self, values: &[f64]) -> Result<Vec<u64>, StatsError> {
        let mut counts = vec![0u64; self.len()];
        for (index, &value) in values.iter().enumerate() {
            counts[self.position(index, value)?] += 1;
        }
        Ok(counts)
    }
}

fn check_level(level: f64) -> Result<f64, StatsError> {
    if level.is_finite() && level > 0.0 && level < 1.0 {
        Ok(level)
    } else {
        Err(StatsError::InvalidLevel(level))
    }
}

fn check_finite(values: &[f64]) -> Result<(), StatsError> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(StatsError::NotFinite { index }),
        None => Ok(()),
    }
}

fn check_at_least(what: &'static str, needed: usize, got: usize) -> Result<(), StatsError> {
    if got < needed {
        Err(StatsError::TooFewObservations { what, needed, got })
    } else {
        Ok(())
    }
}

/// Upper α/2 quantile of the standard normal, z such that P(Z > z) = (1 − level)/2.
///
/// Computed from the lower tail (−Φ⁻¹(α/2)), where the inverse is most accurate.
fn normal_critical(level: f64) -> f64 {
    -Normal::standard().inverse_cdf((1.0 - level) / 2.0)
}

/// Above this many degrees of freedom statrs' regularised incomplete beta function loses
/// accuracy (5e-13 at 1e4, 1e-11 at 1e5, 2e-7 at 1e9), so from here on the t tail comes
/// from the normal tail with two terms of its 1/ν expansion, good to 2e-14 (both checked
/// against scipy).
const T_LARGE_DF_SF: f64 = 3e4;

/// From this many degrees of freedom the t quantile comes from the Cornish–Fisher
/// expansion in the normal quantile (Abramowitz & Stegun 26.7.5, four terms), which is
/// exact to rounding here (checked against scipy up to level 0.9999).
const T_LARGE_DF_QUANTILE: f64 = 3000.0;

fn students_t(df: f64) -> Result<StudentsT, StatsError> {
    StudentsT::new(0.0, 1.0, df).map_err(|_| StatsError::Distribution("Student's t"))
}

/// Upper α/2 quantile of Student's t with `df` degrees of freedom, α = 1 − level.
///
/// Small df: statrs inverts the incomplete beta function (good to about 1e-14) and two
/// Newton steps on the survival function polish it to rounding level, so intervals also
/// hold for small or fractional (Welch) df. Large df: Cornish–Fisher, see
/// [`T_LARGE_DF_QUANTILE`].
fn t_critical(level: f64, df: f64) -> Result<f64, StatsError> {
    if !(df.is_finite() && df > 0.0) {
        return Err(StatsError::Distribution("Student's t"));
    }
    let tail = (1.0 - level) / 2.0;
    if df >= T_LARGE_DF_QUANTILE {
        let z = normal_critical(level);
        let z2 = z * z;
        let g1 = (z2 + 1.0) * z / 4.0;
        let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
        let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
        let g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
        return Ok(z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df);
    }
    let t = students_t(df)?;
    let mut q = -t.inverse_cdf(tail);
    for _ in 0..2 {
        let density = t.pdf(q);
        if !(density.is_finite() && density > 0.0) {
            break;
        }
        let next = q + (t.sf(q) - tail) / density;
        if !next.is_finite() {
            break;
        }
        q = next;
    }
    Ok(q)
}

/// P(Z > x) for the standard normal.
///
/// statrs' `Normal::sf` goes through its `erfc`, which is only good to about 1e-11
/// (sf(1) is off by 1.4e-11); the regularised upper incomplete gamma function,
/// Q(1/2, x²/2) = erfc(x/√2), is good to rounding level.
fn normal_sf(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x < 0.0 {
        return 1.0 - normal_sf(-x);
    }
    let half_square = x * x / 2.0;
    if half_square == 0.0 {
        return 0.5;
    }
    if half_square.is_infinite() {
        return 0.0;
    }
    // Both arguments are in (0, ∞) here, the function's whole domain.
    statrs::function::gamma::checked_gamma_ur(0.5, half_square).map_or(0.0, |q| q / 2.0)
}

/// P(T > x) for Student's t with `df` degrees of freedom; see [`T_LARGE_DF_SF`].
fn t_sf(x: f64, df: f64) -> Result<f64, StatsError> {
    if !(df.is_finite() && df > 0.0) {
        return Err(StatsError::Distribution("Student's t"));
    }
    if x.is_nan() {
        return Err(StatsError::Overflow("the t statistic"));
    }
    if df > T_LARGE_DF_SF {
        // sf_t(x) = sf_N(x) + φ(x) [(x³ + x)/(4ν) + (3x⁷ − 7x⁵ − 5x³ − 3x)/(96ν²)] + O(ν⁻³).
        if x.is_infinite() {
            return Ok(if x > 0.0 { 0.0 } else { 1.0 });
        }
        let x2 = x * x;
        let g1 = (x2 + 1.0) * x / 4.0;
        let g2 = (((3.0 * x2 - 7.0) * x2 - 5.0) * x2 - 3.0) * x / 96.0;
        let correction = Normal::standard().pdf(x) * (g1 + g2 / df) / df;
        return Ok((normal_sf(x) + correction).clamp(0.0, 1.0));
    }
    Ok(students_t(df)?.sf(x))
}

/// Two-sided p-value of a t statistic.
fn t_p_value(t_stat: f64, df: f64) -> Result<f64, StatsError> {
    Ok((2.0 * t_sf(t_stat.abs(), df)?).min(1.0))
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Sample variance (ddof = 1) by the two-pass formula, which is exact for constant data.
fn sample_variance(values: &[f64], mean: f64) -> f64 {
    let ss: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
    ss / (values.len() as f64 - 1.0)
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

/// Summary of a numeric item.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Descriptives {
    pub n: usize,
    pub mean: f64,
    /// The middle value; the mean of the two middle values when n is even.
    pub median: f64,
    /// Sample standard deviation (divisor n − 1).
    pub sd: f64,
    /// Standard error of the mean, sd/√n.
    pub se: f64,
    /// Student-t interval for the mean.
    pub ci: ConfidenceInterval,
}

/// Descriptives of a numeric item with a Student-t interval for the mean.
///
/// Needs two answers (a standard deviation is undefined for one). Constant answers give
/// sd = 0 and a zero-width interval at the mean.
pub fn describe(values: &[f64], level: f64) -> Result<Descriptives, StatsError> {
    check_level(level)?;
    check_finite(values)?;
    check_at_least("descriptives", 2, values.len())?;
    let n = values.len();
    let m = mean(values);
    let sd = sample_variance(values, m).sqrt();
    if !(m.is_finite() && sd.is_finite()) {
        return Err(StatsError::Overflow("the mean and standard deviation"));
    }
    let se = sd / (n as f64).sqrt();
    let half = t_critical(level, n as f64 - 1.0)? * se;
    Ok(Descriptives {
        n,
        mean: m,
        median: median(values),
        sd,
        se,
        ci: ConfidenceInterval {
            level,
            lower: m - half,
            upper: m + half,
            method: IntervalMethod::StudentT,
        },
    })
}

/// How many answers fell on one point of a scale.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct PointCount {
    pub point: i32,
    pub count: u64,
    /// count / n.
    pub share: f64,
}

/// Descriptives of a scale item plus its distribution over every point.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ScaleDescriptives {
    pub scale: Scale,
    pub summary: Descriptives,
    /// One entry per point `low..=high`, including points nobody chose.
    pub distribution: Vec<PointCount>,
}

/// Descriptives of answers on `scale`; every answer must be a whole point of the scale.
pub fn describe_scale(
    values: &[f64],
    scale: Scale,
    level: f64,
) -> Result<ScaleDescriptives, StatsError> {
    let counts = scale.counts(values)?;
    let summary = describe(values, level)?;
    let n = values.len() as f64;
    let distribution = (scale.low..=scale.high)
        .zip(counts)
        .map(|(point, count)| PointCount {
            point,
            count,
            share: count as f64 / n,
        })
        .collect();
    Ok(ScaleDescriptives {
        scale,
        summary,
        distribution,
    })
}

/// A binomial proportion with its interval.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Proportion {
    pub successes: u64,
    pub n: u64,
    pub proportion: f64,
    pub ci: ConfidenceInterval,
}

/// Wilson score interval for `successes` out of `n`.
///
/// Chosen over the Wald interval because it stays inside [0, 1] and keeps its coverage
/// near 0 and 1 and for small n, which is where survey top-box shares often live.
pub fn wilson_interval(successes: u64, n: u64, level: f64) -> Result<Proportion, StatsError> {
    check_level(level)?;
    if n == 0 {
        return Err(StatsError::TooFewObservations {
            what: "a proportion",
            needed: 1,
            got: 0,
        });
    }
    if successes > n {
        return Err(StatsError::SuccessesExceedTotal { successes, n });
    }
    let nf = n as f64;
    let p = successes as f64 / nf;
    let z = normal_critical(level);
    let z2 = z * z;
    let denom = 1.0 + z2 / nf;
    let center = (p + z2 / (2.0 * nf)) / denom;
    let half = z * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt() / denom;
    Ok(Proportion {
        successes,
        n,
        proportion: p,
        ci: ConfidenceInterval {
            level,
            lower: (center - half).max(0.0),
            upper: (center + half).min(1.0),
            method: IntervalMethod::Wilson,
        },
    })
}

/// Share of answers in the top two points of `scale` ("top-two-box"), with a Wilson
/// interval. The scale needs at least three points, or the top two would be everything.
pub fn top_two_box(values: &[f64], scale: Scale, level: f64) -> Result<Proportion, StatsError> {
    if scale.len() < 3 {
        return Err(StatsError::InvalidScale {
            low: scale.low,
            high: scale.high,
            reason: "top-two-box needs at least three points",
        });
    }
    check_level(level)?;
    let counts = scale.counts(values)?;
    let top = counts[counts.len() - 2..].iter().sum();
    wilson_interval(top, values.len() as u64, level)
}

/// Net Promoter Score of 0..=10 answers.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Nps {
    pub n: u64,
    /// Answers 9 or 10.
    pub promoters: u64,
    /// Answers 7 or 8.
    pub passives: u64,
    /// Answers 0 to 6.
    pub detractors: u64,
    /// 100 · (promoters − detractors)/n, in [−100, 100].
    pub score: f64,
    /// Standard error of the score, on the same −100..100 scale.
    pub se: f64,
    /// See [`IntervalMethod::NpsNormalMultinomial`].
    pub ci: ConfidenceInterval,
}

/// NPS of 0..=10 answers: promoters 9–10, passives 7–8, detractors 0–6.
pub fn nps(answers: &[f64], level: f64) -> Result<Nps, StatsError> {
    check_level(level)?;
    let counts = Scale::zero_to_ten().counts(answers)?;
    let detractors = counts[..=6].iter().sum();
    let passives = counts[7..=8].iter().sum();
    let promoters = counts[9..].iter().sum();
    nps_from_counts(promoters, passives, detractors, level)
}

/// NPS from the three group counts.
///
/// Interval: the promoter and detractor shares come from one multinomial sample, so
/// var(p̂_p − p̂_d) = (p_p + p_d − (p_p − p_d)²)/n; the interval is
/// 100 · (p̂_p − p̂_d ± z · √var), clipped to [−100, 100] because the normal
/// approximation can overshoot for small n or extreme scores.
pub fn nps_from_counts(
    promoters: u64,
    passives: u64,
    detractors: u64,
    level: f64,
) -> Result<Nps, StatsError> {
    check_level(level)?;
    let n = promoters
        .saturating_add(passives)
        .saturating_add(detractors);
    if n == 0 {
        return Err(StatsError::TooFewObservations {
            what: "NPS",
            needed: 1,
            got: 0,
        });
    }
    let nf = n as f64;
    let pp = promoters as f64 / nf;
    let pd = detractors as f64 / nf;
    let diff = pp - pd;
    // Never negative in exact arithmetic; clamp away rounding.
    let var = ((pp + pd - diff * diff) / nf).max(0.0);
    let se = var.sqrt();
    let z = normal_critical(level);
    Ok(Nps {
        n,
        promoters,
        passives,
        detractors,
        score: 100.0 * diff,
        se: 100.0 * se,
        ci: ConfidenceInterval {
            level,
            lower: (100.0 * (diff - z * se)).max(-100.0),
            upper: (100.0 * (diff + z * se)).min(100.0),
            method: IntervalMethod::NpsNormalMultinomial,
        },
    })
}

/// A table of counts of two categorical variables; labels are in sorted order.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CrossTab {
    pub row_labels: Vec<String>,
    pub column_labels: Vec<String>,
    /// `counts[row][column]`.
    pub counts: Vec<Vec<u64>>,
    pub row_totals: Vec<u64>,
    pub column_totals: Vec<u64>,
    pub n: u64,
}

/// Cross-tabulates paired answers. Only categories that occur get a row or column, so
/// the table never has an empty margin. Labels sort by `Ord` (numbers numerically) and
/// are shown with `Display`.
pub fn crosstab<R, C>(rows: &[R], columns: &[C]) -> Result<CrossTab, StatsError>
where
    R: Ord + Display,
    C: Ord + Display,
{
    if rows.len() != columns.len() {
        return Err(StatsError::LengthMismatch {
            left: "rows",
            right: "columns",
            left_len: rows.len(),
            right_len: columns.len(),
        });
    }
    check_at_least("a cross-tab", 1, rows.len())?;
    let row_index = index_labels(rows);
    let col_index = index_labels(columns);
    let mut counts = vec![vec![0u64; col_index.len()]; row_index.len()];
    for (r, c) in rows.iter().zip(columns) {
        // Both maps were built from these very slices, so the lookups succeed.
        if let (Some(&i), Some(&j)) = (row_index.get(r), col_index.get(c)) {
            counts[i][j] += 1;
        }
    }
    let (row_totals, column_totals, n) = margins(&counts);
    Ok(CrossTab {
        row_labels: row_index.keys().map(ToString::to_string).collect(),
        column_labels: col_index.keys().map(ToString::to_string).collect(),
        counts,
        row_totals,
        column_totals,
        n,
    })
}

/// Sorted distinct labels, each mapped to its position.
fn index_labels<'a, T: Ord + 'a>(
    values: impl IntoIterator<Item = &'a T>,
) -> BTreeMap<&'a T, usize> {
    let mut index: BTreeMap<&T, usize> = values.into_iter().map(|v| (v, 0)).collect();
    for (i, slot) in index.values_mut().enumerate() {
        *slot = i;
    }
    index
}

fn margins(counts: &[Vec<u64>]) -> (Vec<u64>, Vec<u64>, u64) {
    let columns = counts.first().map_or(0, Vec::len);
    let row_totals: Vec<u64> = counts.iter().map(|r| r.iter().sum()).collect();
    let column_totals: Vec<u64> = (0..columns)
        .map(|j| counts.iter().map(|r| r[j]).sum())
        .collect();
    let n = row_totals.iter().sum();
    (row_totals, column_totals, n)
}

/// Pearson's chi-square test of independence on a contingency table.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ChiSquareTest {
    pub n: u64,
    /// Σ (observed − expected)² / expected, without Yates' continuity correction.
    pub statistic: f64,
    /// (rows − 1)(columns − 1).
    pub df: u64,
    /// P(χ²(df) ≥ statistic).
    pub p_value: f64,
    /// row total · column total / n for every cell.
    pub expected: Vec<Vec<f64>>,
    /// √(χ² / (n · (min(rows, columns) − 1))), from 0 (independent) to 1.
    pub cramers_v: f64,
}

impl CrossTab {
    /// Pearson's chi-square test of this table; see [`chi_square_test`].
    pub fn chi_square(&self) -> Result<ChiSquareTest, StatsError> {
        chi_square_test(&self.counts)
    }
}

/// Pearson's chi-square test of independence with Cramér's V.
///
/// No Yates correction, even for 2×2 tables: it is conservative, and the uncorrected
/// statistic is the one Cramér's V is defined from. Expected counts are returned so the
/// UI can warn when many are below 5.
pub fn chi_square_test(counts: &[Vec<u64>]) -> Result<ChiSquareTest, StatsError> {
    let rows = counts.len();
    let columns = counts.first().map_or(0, Vec::len);
    if let Some((row, r)) = counts.iter().enumerate().find(|(_, r)| r.len() != columns) {
        return Err(StatsError::RaggedTable {
            row,
            expected: columns,
            got: r.len(),
        });
    }
    if rows < 2 || columns < 2 {
        return Err(StatsError::TableTooSmall { rows, columns });
    }
    let (row_totals, column_totals, n) = margins(counts);
    if let Some(index) = row_totals.iter().position(|&t| t == 0) {
        return Err(StatsError::EmptyMargin { axis: "row", index });
    }
    if let Some(index) = column_totals.iter().position(|&t| t == 0) {
        return Err(StatsError::EmptyMargin {
            axis: "column",
            index,
        });
    }
    let nf = n as f64;
    let expected: Vec<Vec<f64>> = row_totals
        .iter()
        .map(|&rt| {
            column_totals
                .iter()
                .map(|&ct| rt as f64 * ct as f64 / nf)
                .collect()
        })
        .collect();
    let statistic: f64 = counts
        .iter()
        .zip(&expected)
        .flat_map(|(o, e)| o.iter().zip(e))
        .map(|(&o, &e)| {
            let d = o as f64 - e;
            d * d / e
        })
        .sum();
    let df = (rows as u64 - 1) * (columns as u64 - 1);
    let chi2 = ChiSquared::new(df as f64).map_err(|_| StatsError::Distribution("chi-square"))?;
    let p_value = chi2.sf(statistic).clamp(0.0, 1.0);
    let k = rows.min(columns) as f64 - 1.0;
    Ok(ChiSquareTest {
        n,
        statistic,
        df,
        p_value,
        expected,
        cramers_v: (statistic / (nf * k)).sqrt(),
    })
}

/// Welch's two-sample t-test of mean(a) − mean(b).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct WelchTest {
    pub n_a: usize,
    pub n_b: usize,
    pub mean_a: f64,
    pub mean_b: f64,
    pub sd_a: f64,
    pub sd_b: f64,
    /// mean_a − mean_b.
    pub mean_difference: f64,
    /// √(s_a²/n_a + s_b²/n_b).
    pub se: f64,
    pub t: f64,
    /// Welch–Satterthwaite degrees of freedom (not a whole number in general).
    pub df: f64,
    /// Two-sided.
    pub p_value: f64,
    /// Interval for the mean difference.
    pub ci: ConfidenceInterval,
}

/// Welch's t-test: does not assume equal variances, which survey subgroups rarely have,
/// and loses almost nothing against Student's test when they are equal.
///
/// Each group needs two observations; if both have zero variance the test is undefined.
pub fn welch_t_test(a: &[f64], b: &[f64], level: f64) -> Result<WelchTest, StatsError> {
    check_level(level)?;
    check_finite(a)?;
    check_finite(b)?;
    check_at_least("Welch's test, group a,", 2, a.len())?;
    check_at_least("Welch's test, group b,", 2, b.len())?;
    let (na, nb) = (a.len() as f64, b.len() as f64);
    let (mean_a, mean_b) = (mean(a), mean(b));
    let (var_a, var_b) = (sample_variance(a, mean_a), sample_variance(b, mean_b));
    let (wa, wb) = (var_a / na, var_b / nb);
    let se2 = wa + wb;
    if se2.is_nan() || se2.is_infinite() {
        return Err(StatsError::Overflow("Welch's test"));
    }
    if se2 <= 0.0 {
        return Err(StatsError::ZeroVariance);
    }
    let se = se2.sqrt();
    let diff = mean_a - mean_b;
    let t = diff / se;
    let df = se2 * se2 / (wa * wa / (na - 1.0) + wb * wb / (nb - 1.0));
    if !(t.is_finite() && df.is_finite() && df > 0.0) {
        return Err(StatsError::Overflow("Welch's test"));
    }
    let half = t_critical(level, df)? * se;
    Ok(WelchTest {
        n_a: a.len(),
        n_b: b.len(),
        mean_a,
        mean_b,
        sd_a: var_a.sqrt(),
        sd_b: var_b.sqrt(),
        mean_difference: diff,
        se,
        t,
        df,
        p_value: t_p_value(t, df)?,
        ci: ConfidenceInterval {
            level,
            lower: diff - half,
            upper: diff + half,
            method: IntervalMethod::WelchSatterthwaite,
        },
    })
}

/// Cohen's kappa: agreement of two coders beyond chance.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Kappa {
    pub n: usize,
    /// Every label either coder used, sorted.
    pub categories: Vec<String>,
    /// Share of items both coders labelled the same, p_o.
    pub observed_agreement: f64,
    /// Agreement expected by chance from the two coders' label shares, p_e.
    pub expected_agreement: f64,
    /// (p_o − p_e)/(1 − p_e): 1 perfect, 0 chance, negative worse than chance.
    pub kappa: f64,
    /// Large-sample standard error of kappa (Fleiss, Cohen & Everitt 1969).
    pub se: f64,
    pub ci: ConfidenceInterval,
    /// Standard error under H0: kappa = 0.
    pub se_null: f64,
    /// kappa / se_null; absent when se_null is 0 (one coder used a single label).
    pub z: Option<f64>,
    /// Two-sided p-value of H0: kappa = 0; absent with `z`.
    pub p_value: Option<f64>,
}

/// Cohen's (unweighted) kappa of two coders who labelled the same items, in the same order.
pub fn cohens_kappa<T>(coder_a: &[T], coder_b: &[T], level: f64) -> Result<Kappa, StatsError>
where
    T: Ord + Display,
{
    check_level(level)?;
    if coder_a.len() != coder_b.len() {
        return Err(StatsError::LengthMismatch {
            left: "coder a",
            right: "coder b",
            left_len: coder_a.len(),
            right_len: coder_b.len(),
        });
    }
    check_at_least("Cohen's kappa", 1, coder_a.len())?;
    let index = index_labels(coder_a.iter().chain(coder_b));
    let k = index.len();
    let mut table = vec![vec![0u64; k]; k];
    for (a, b) in coder_a.iter().zip(coder_b) {
        if let (Some(&i), Some(&j)) = (index.get(a), index.get(b)) {
            table[i][j] += 1;
        }
    }
    let nf = coder_a.len() as f64;
    let p: Vec<Vec<f64>> = table
        .iter()
        .map(|r| r.iter().map(|&c| c as f64 / nf).collect())
        .collect();
    let row: Vec<f64> = p.iter().map(|r| r.iter().sum()).collect();
    let col: Vec<f64> = (0..k).map(|j| p.iter().map(|r| r[j]).sum()).collect();
    let observed: f64 = (0..k).map(|i| p[i][i]).sum();
    let expected: f64 = (0..k).map(|i| row[i] * col[i]).sum();
    if expected >= 1.0 {
        return Err(StatsError::UndefinedKappa);
    }
    let one_minus_pe = 1.0 - expected;
    let kappa = (observed - expected) / one_minus_pe;

    // Fleiss, Cohen & Everitt (1969), as in statsmodels' cohens_kappa.
    let term_a: f64 = (0..k)
        .map(|i| p[i][i] * (1.0 - (row[i] + col[i]) * (1.0 - kappa)).powi(2))
        .sum();
    let term_b: f64 = (0..k)
        .flat_map(|i| (0..k).map(move |j| (i, j)))
        .filter(|(i, j)| i != j)
        .map(|(i, j)| p[i][j] * (col[i] + row[j]).powi(2))
        .sum::<f64>()
        * (1.0 - kappa).powi(2);
    let term_c = (kappa - expected * (1.0 - kappa)).powi(2);
    let var = ((term_a + term_b - term_c) / (one_minus_pe * one_minus_pe) / nf).max(0.0);
    let se = var.sqrt();
    let sum_c: f64 = (0..k).map(|i| row[i] * col[i] * (row[i] + col[i])).sum();
    let var0 =
        ((expected + expected * expected - sum_c) / (one_minus_pe * one_minus_pe * nf)).max(0.0);
    let se_null = var0.sqrt();
    let z = (se_null > 0.0).then(|| kappa / se_null);
    let p_value = z.map(|z| (2.0 * normal_sf(z.abs())).min(1.0));
    let half = normal_critical(level) * se;
    Ok(Kappa {
        n: coder_a.len(),
        categories: index.keys().map(ToString::to_string).collect(),
        observed_agreement: observed,
        expected_agreement: expected,
        kappa,
        se,
        ci: ConfidenceInterval {
            level,
            lower: kappa - half,
            upper: kappa + half,
            method: IntervalMethod::KappaAsymptoticNormal,
        },
        se_null,
        z,
        p_value,
    })
}

/// Mean score of one group of answers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct GroupMean {
    pub n: usize,
    pub mean: f64,
}

/// Scores split by whether an open-text code was applied to the answer.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CodeScoreJoin {
    pub with_code: GroupMean,
    pub without_code: GroupMean,
    /// Welch's test of with − without; absent when a group has fewer than two answers or
    /// both groups have zero variance, since the means are still worth showing then.
    pub welch: Option<WelchTest>,
}

/// The mixed-methods join: mean score of answers with and without a code, and Welch's
/// test between them. `has_code[i]` says whether answer `i` (score `scores[i]`) carries
/// the code. Each group needs at least one answer.
pub fn score_by_code(
    scores: &[f64],
    has_code: &[bool],
    level: f64,
) -> Result<CodeScoreJoin, StatsError> {
    check_level(level)?;
    if scores.len() != has_code.len() {
        return Err(StatsError::LengthMismatch {
            left: "scores",
            right: "code flags",
            left_len: scores.len(),
            right_len: has_code.len(),
        });
    }
    check_finite(scores)?;
    let mut with = Vec::new();
    let mut without = Vec::new();
    for (&score, &coded) in scores.iter().zip(has_code) {
        if coded {
            with.push(score);
        } else {
            without.push(score);
        }
    }
    check_at_least("answers with the code", 1, with.len())?;
    check_at_least("answers without the code", 1, without.len())?;
    let (mean_with, mean_without) = (mean(&with), mean(&without));
    if !(mean_with.is_finite() && mean_without.is_finite()) {
        return Err(StatsError::Overflow("the group means"));
    }
    let welch = welch_t_test(&with, &without, level).ok();
    Ok(CodeScoreJoin {
        with_code: GroupMean {
            n: with.len(),
            mean: mean_with,
        },
        without_code: GroupMean {
            n: without.len(),
            mean: mean_without,
        },
        welch,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    #[test]
    fn empty_input_is_an_error_everywhere() {
        let empty: [f64; 0] = [];
        assert!(matches!(
            describe(&empty, 0.95),
            Err(StatsError::TooFewObservations { got: 0, .. })
        ));
        let seven = Scale::one_to(7).unwrap();
        assert!(describe_scale(&empty, seven, 0.95).is_err());
        assert!(top_two_box(&empty, seven, 0.95).is_err());
        assert!(nps(&empty, 0.95).is_err());
        assert!(wilson_interval(0, 0, 0.95).is_err());
        assert!(welch_t_test(&empty, &[1.0, 2.0], 0.95).is_err());
        assert!(crosstab::<i32, i32>(&[], &[]).is_err());
        assert!(chi_square_test(&[]).is_err());
        assert!(cohens_kappa::<i32>(&[], &[], 0.95).is_err());
        assert!(score_by_code(&empty, &[], 0.95).is_err());
    }

    #[test]
    fn one_answer_is_too_few_for_a_standard_deviation() {
        assert_eq!(
            describe(&[3.0], 0.95),
            Err(StatsError::TooFewObservations {
                what: "descriptives",
                needed: 2,
                got: 1
            })
        );
    }

    #[test]
    fn all_equal_values_give_zero_sd_and_a_point_interval() {
        let d = describe(&[4.0; 10], 0.95).unwrap();
        assert_eq!(d.mean, 4.0);
        assert_eq!(d.median, 4.0);
        assert_eq!(d.sd, 0.0);
        assert_eq!((d.ci.lower, d.ci.upper), (4.0, 4.0));
        let s = describe_scale(&[4.0; 10], Scale::one_to(5).unwrap(), 0.95).unwrap();
        let counts: Vec<u64> = s.distribution.iter().map(|p| p.count).collect();
        assert_eq!(counts, [0, 0, 0, 10, 0]);
        assert_eq!(s.distribution[3].share, 1.0);
    }

    #[test]
    fn descriptives_known_answer() {
        // 1..=5: mean 3, median 3, sd √2.5, t(0.975, 4) = 2.7764451051977934.
        let d = describe(&[5.0, 1.0, 4.0, 2.0, 3.0], 0.95).unwrap();
        assert_eq!(d.mean, 3.0);
        assert_eq!(d.median, 3.0);
        assert!(close(d.sd, 2.5f64.sqrt(), 1e-15));
        let half = 2.7764451051977934 * (2.5f64 / 5.0).sqrt();
        assert!(close(d.ci.upper, 3.0 + half, 1e-13));
        assert_eq!(describe(&[1.0, 2.0, 3.0, 10.0], 0.9).unwrap().median, 2.5);
    }

    #[test]
    fn critical_values_match_scipy() {
        // scipy.stats.t.isf((1 - level)/2, df) and scipy.stats.norm.isf(0.025).
        for (df, level, want) in [
            (1.0, 0.95, 12.706204736174694),
            (1.5, 0.999, 82.84744670365757),
            (1e7, 0.95, 1.959964221767205),
            (2999.0, 0.9999, 3.895831681316362),
            (3000.0, 0.9999, 3.8958299326260355),
            (3.0, 0.5, 0.7648923284043444),
        ] {
            let got = t_critical(level, df).unwrap();
            assert!(close(got, want, 1e-12), "t({df}, {level}): {got} vs {want}");
        }
        assert!(close(normal_critical(0.95), 1.9599639845400545, 1e-15));
    }

    #[test]
    fn normal_tail_matches_scipy() {
        // scipy.stats.norm.sf(x)
        for (x, want) in [
            (0.0, 0.5),
            (1.0, 0.15865525393145707),
            (1.96, 0.024997895148220435),
            (4.0, 3.167124183311986e-05),
            (-1.0, 0.8413447460685429),
        ] {
            let got = normal_sf(x);
            assert!(close(got, want, 1e-15), "sf({x}): {got} vs {want}");
        }
        assert!(close(normal_sf(8.0) / 6.22096057427174e-16, 1.0, 1e-14));
        assert_eq!(normal_sf(f64::INFINITY), 0.0);
        assert_eq!(normal_sf(1e300), 0.0);
    }

    #[test]
    fn huge_values_are_an_error_not_a_panic() {
        let big = [f64::MAX, -f64::MAX, f64::MAX];
        assert!(matches!(describe(&big, 0.95), Err(StatsError::Overflow(_))));
        assert!(matches!(
            welch_t_test(&big, &[1.0, 2.0], 0.95),
            Err(StatsError::Overflow(_))
        ));
        assert!(matches!(
            score_by_code(&[f64::MAX, f64::MAX, 1.0], &[true, true, false], 0.95),
            Err(StatsError::Overflow(_))
        ));
        assert!(t_p_value(f64::NAN, 10.0).is_err());
        assert_eq!(t_p_value(f64::INFINITY, 1e9).unwrap(), 0.0);
    }

    #[test]
    fn t_tail_holds_for_huge_degrees_of_freedom() {
        // scipy.stats.t.sf(x, df): statrs alone is off by 2e-7 at df = 1e9.
        // Both sides of the switch at 3e4 are covered.
        for (x, df, want) in [
            (0.5, 1e4, 0.30854303966161684),
            (1.96, 3e4, 0.025002516686008485),
            (1.96, 30000.5, 0.02500251660898313),
            (0.5, 1e5, 0.30853808882720896),
            (6.0, 1e5, 9.899647278008859e-10),
            (1.96, 1e6, 0.024998033792634926),
            (1.96, 1.000001e6, 0.02499803379249627),
            (0.5, 1e9, 0.30853753878099716),
            (4.0, 1e12, 3.167124183539505e-05),
            (1.96, 1e300, 0.024997895148220435),
        ] {
            let got = t_sf(x, df).unwrap();
            assert!((got - want).abs() < 1e-12, "sf({x}, {df}): {got} vs {want}");
        }
        assert!(t_sf(1.0, f64::INFINITY).is_err());
    }

    #[test]
    fn bad_level_and_non_finite_values_are_errors() {
        for level in [0.0, 1.0, -0.5, 1.5, f64::NAN] {
            assert!(matches!(
                describe(&[1.0, 2.0], level),
                Err(StatsError::InvalidLevel(_))
            ));
        }
        assert_eq!(
            describe(&[1.0, f64::NAN], 0.95),
            Err(StatsError::NotFinite { index: 1 })
        );
        assert_eq!(
            welch_t_test(&[1.0, 2.0], &[f64::INFINITY, 1.0], 0.95),
            Err(StatsError::NotFinite { index: 0 })
        );
    }

    #[test]
    fn answers_off_the_scale_are_named() {
        let five = Scale::one_to(5).unwrap();
        assert_eq!(
            describe_scale(&[1.0, 6.0], five, 0.95),
            Err(StatsError::OffScale {
                index: 1,
                value: 6.0,
                low: 1,
                high: 5
            })
        );
        assert!(matches!(
            top_two_box(&[1.0, 2.5], five, 0.95),
            Err(StatsError::OffScale { index: 1, .. })
        ));
        assert!(nps(&[11.0], 0.95).is_err());
        assert!(nps(&[-1.0], 0.95).is_err());
        assert!(Scale::new(3, 3).is_err());
        assert!(Scale::new(0, 5000).is_err());
        assert!(top_two_box(&[1.0], Scale::one_to(2).unwrap(), 0.95).is_err());
    }

    #[test]
    fn errors_have_reason_codes_with_their_numbers() {
        let five = Scale::one_to(5).unwrap();
        fn reason<T>(r: Result<T, StatsError>) -> Reason {
            r.map(|_| ()).unwrap_err().reason()
        }
        assert_eq!(
            reason(describe_scale(&[1.0, 6.5], five, 0.95)),
            Reason::OffScale {
                index: 1,
                value: "6.5".into(),
                low: 1,
                high: 5
            }
        );
        assert_eq!(
            reason(describe(&[1.0, 2.0], 1.5)),
            Reason::InvalidLevel {
                value: "1.5".into()
            }
        );
        assert_eq!(
            reason(describe(&[], 0.95)),
            Reason::TooFewObservations { needed: 2, got: 0 }
        );
        assert_eq!(
            reason(Scale::new(3, 3)),
            Reason::ScaleTooShort {
                low: 3,
                high: 3,
                min: 2
            }
        );
        assert_eq!(
            reason(Scale::new(0, 5000)),
            Reason::ScaleTooLong {
                low: 0,
                high: 5000,
                max: 1001
            }
        );
        assert_eq!(
            reason(top_two_box(&[1.0], Scale::one_to(2).unwrap(), 0.95)),
            Reason::ScaleTooShort {
                low: 1,
                high: 2,
                min: 3
            }
        );
        assert_eq!(
            reason(wilson_interval(8, 7, 0.95)),
            Reason::SuccessesExceedTotal { successes: 8, n: 7 }
        );
        assert_eq!(
            reason(welch_t_test(&[1.0, 1.0], &[2.0, 2.0], 0.95)),
            Reason::ZeroVariance
        );
        // Every reason is rebuilt from its code and parameters, as stored errors are.
        for e in [
            StatsError::NotFinite { index: 2 },
            StatsError::Overflow("Welch's test"),
            StatsError::Distribution("chi-square"),
            StatsError::UndefinedKappa,
            StatsError::TableTooSmall {
                rows: 1,
                columns: 3,
            },
            StatsError::RaggedTable {
                row: 1,
                expected: 2,
                got: 3,
            },
            StatsError::EmptyMargin {
                axis: "column",
                index: 0,
            },
            StatsError::LengthMismatch {
                left: "scores",
                right: "code flags",
                left_len: 2,
                right_len: 3,
            },
        ] {
            let r = e.reason();
            assert_eq!(Reason::from_parts(r.code(), &r.params()), Some(r.clone()));
        }
    }

    #[test]
    fn top_two_box_counts_the_two_highest_points() {
        let five = Scale::one_to(5).unwrap();
        let p = top_two_box(&[1.0, 4.0, 5.0, 3.0, 5.0], five, 0.95).unwrap();
        assert_eq!((p.successes, p.n), (3, 5));
        assert!(p.ci.lower > 0.0 && p.ci.upper < 1.0);
        // Wilson at p = 0 starts at exactly 0, and at p = 1 ends at exactly 1.
        let none = top_two_box(&[1.0, 2.0], five, 0.95).unwrap();
        assert_eq!(none.ci.lower, 0.0);
        assert!(none.ci.upper > 0.0);
        let all = wilson_interval(7, 7, 0.95).unwrap();
        assert_eq!(all.ci.upper, 1.0);
        assert_eq!(
            wilson_interval(8, 7, 0.95),
            Err(StatsError::SuccessesExceedTotal { successes: 8, n: 7 })
        );
    }

    #[test]
    fn nps_groups_and_clipping() {
        let answers = [0.0, 6.0, 7.0, 8.0, 9.0, 10.0, 10.0];
        let r = nps(&answers, 0.95).unwrap();
        assert_eq!((r.promoters, r.passives, r.detractors), (3, 2, 2));
        assert!(close(r.score, 100.0 / 7.0, 1e-14));
        // Two promoters of two: score 100, zero variance, interval [100, 100].
        let all = nps(&[9.0, 10.0], 0.95).unwrap();
        assert_eq!(
            (all.score, all.ci.lower, all.ci.upper),
            (100.0, 100.0, 100.0)
        );
        // One promoter, one passive: the normal interval overshoots 100 and is clipped.
        let small = nps_from_counts(1, 1, 0, 0.95).unwrap();
        assert_eq!(small.ci.upper, 100.0);
        assert!(small.ci.lower < small.score);
        assert!(nps_from_counts(0, 0, 0, 0.95).is_err());
    }

    #[test]
    fn chi_square_of_a_hand_computed_2x2_table() {
        // [[10, 20], [30, 40]]: n = 100, row totals 30 and 70, column totals 40 and 60.
        // Expected [[12, 18], [28, 42]]; χ² = 4/12 + 4/18 + 4/28 + 4/42 = 50/63.
        let t = chi_square_test(&[vec![10, 20], vec![30, 40]]).unwrap();
        assert_eq!(t.df, 1);
        assert_eq!(t.n, 100);
        assert_eq!(t.expected, vec![vec![12.0, 18.0], vec![28.0, 42.0]]);
        assert!(close(t.statistic, 50.0 / 63.0, 1e-14));
        // With one df, P(χ² ≥ x) = erfc(√(x/2)); scipy: chi2.sf(50/63, 1).
        assert!((t.p_value - 0.37299848361348686).abs() < 1e-12);
        assert!(close(t.cramers_v, (50.0f64 / 63.0 / 100.0).sqrt(), 1e-14));
    }

    #[test]
    fn chi_square_rejects_degenerate_tables() {
        assert_eq!(
            chi_square_test(&[vec![1, 2, 3]]),
            Err(StatsError::TableTooSmall {
                rows: 1,
                columns: 3
            })
        );
        assert!(matches!(
            chi_square_test(&[vec![1, 2], vec![3]]),
            Err(StatsError::RaggedTable { row: 1, .. })
        ));
        assert_eq!(
            chi_square_test(&[vec![1, 0], vec![3, 0]]),
            Err(StatsError::EmptyMargin {
                axis: "column",
                index: 1
            })
        );
        let single = crosstab(&["a", "a"], &[1, 2]).unwrap();
        assert!(single.chi_square().is_err());
    }

    #[test]
    fn crosstab_sorts_labels_and_counts() {
        let t = crosstab(&[2, 1, 2, 2], &["y", "x", "x", "y"]).unwrap();
        assert_eq!(t.row_labels, ["1", "2"]);
        assert_eq!(t.column_labels, ["x", "y"]);
        assert_eq!(t.counts, vec![vec![1, 0], vec![1, 2]]);
        assert_eq!(
            (t.row_totals.clone(), t.column_totals.clone(), t.n),
            (vec![1, 3], vec![2, 2], 4)
        );
        assert!(crosstab(&[1, 2], &[1]).is_err());
    }

    #[test]
    fn welch_known_answer_and_zero_variance() {
        // scipy.stats.ttest_ind([1, 2, 3], [2, 3, 5, 6], equal_var=False)
        let w = welch_t_test(&[1.0, 2.0, 3.0], &[2.0, 3.0, 5.0, 6.0], 0.95).unwrap();
        assert!(close(w.t, -1.851640199545103, 1e-12));
        assert!(close(w.df, 4.741935483870967, 1e-12));
        assert!((w.p_value - 0.12645305940499543).abs() < 1e-9);
        assert!(close(w.ci.lower, -4.822615990343154, 1e-9));
        assert!(close(w.ci.upper, 0.822615990343154, 1e-9));
        assert_eq!(
            welch_t_test(&[2.0, 2.0], &[3.0, 3.0, 3.0], 0.95),
            Err(StatsError::ZeroVariance)
        );
        // One constant group is fine: the other carries the variance.
        assert!(welch_t_test(&[2.0, 2.0], &[3.0, 4.0, 5.0], 0.95).is_ok());
        assert!(welch_t_test(&[2.0], &[3.0, 4.0], 0.95).is_err());
    }

    #[test]
    fn kappa_perfect_agreement_is_one() {
        let a = ["pris", "personal", "pris", "miljö", "personal"];
        let k = cohens_kappa(&a, &a, 0.95).unwrap();
        assert_eq!(k.kappa, 1.0);
        assert_eq!(k.observed_agreement, 1.0);
        assert_eq!(k.categories, ["miljö", "personal", "pris"]);
        assert!(k.ci.lower <= 1.0 && k.ci.upper >= 1.0);
        assert!(k.z.is_some_and(f64::is_finite));
    }

    #[test]
    fn kappa_degenerate_cases() {
        // Both coders used one label: chance agreement 1, kappa 0/0.
        assert_eq!(
            cohens_kappa(&[1, 1, 1], &[1, 1, 1], 0.95),
            Err(StatsError::UndefinedKappa)
        );
        // One coder used one label: kappa 0 and no z test, but no NaN either.
        let k = cohens_kappa(&[1, 1, 1, 1], &[1, 2, 1, 2], 0.95).unwrap();
        assert_eq!(k.kappa, 0.0);
        assert_eq!(k.z, None);
        assert!(k.se.is_finite());
        assert!(cohens_kappa(&[1, 2], &[1], 0.95).is_err());
    }

    #[test]
    fn kappa_hand_computed() {
        // Table [[20, 5], [10, 15]]: p_o = 0.7, p_e = 0.5·0.6 + 0.5·0.4 = 0.5, kappa = 0.4.
        let mut a = Vec::new();
        let mut b = Vec::new();
        for (x, y, count) in [(0, 0, 20), (0, 1, 5), (1, 0, 10), (1, 1, 15)] {
            for _ in 0..count {
                a.push(x);
                b.push(y);
            }
        }
        let k = cohens_kappa(&a, &b, 0.95).unwrap();
        assert!(close(k.observed_agreement, 0.7, 1e-15));
        assert!(close(k.expected_agreement, 0.5, 1e-15));
        assert!(close(k.kappa, 0.4, 1e-14));
    }

    #[test]
    fn score_by_code_splits_and_tolerates_small_groups() {
        let scores = [5.0, 4.0, 2.0, 1.0, 2.0];
        let code = [true, true, false, false, false];
        let j = score_by_code(&scores, &code, 0.95).unwrap();
        assert_eq!((j.with_code.n, j.with_code.mean), (2, 4.5));
        assert!(close(j.without_code.mean, 5.0 / 3.0, 1e-15));
        let w = j.welch.unwrap();
        assert!(close(w.mean_difference, 4.5 - 5.0 / 3.0, 1e-14));
        // A code on a single answer: means, but no test.
        let one = score_by_code(&scores, &[true, false, false, false, false], 0.95).unwrap();
        assert_eq!(one.with_code.n, 1);
        assert!(one.welch.is_none());
        assert!(score_by_code(&scores, &[false; 5], 0.95).is_err());
        assert!(score_by_code(&scores, &[true; 4], 0.95).is_err());
    }

    #[test]
    fn results_serialise_with_method_names() {
        let p = wilson_interval(3, 10, 0.9).unwrap();
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["ci"]["method"], "wilson");
        let n = serde_json::to_value(nps(&[9.0, 3.0], 0.95).unwrap()).unwrap();
        assert_eq!(n["ci"]["method"], "nps_normal_multinomial");
    }
}
