//! The design-year calendar: which month a simulated time falls in.
//!
//! A run starts `warmup` before 1 January of the design year; the measured period starts on
//! 1 January. Warm-up days before it fall in the previous December (and earlier months).
//! Years have 365 days (29 February is not modelled).

/// Days in each month of a 365-day year.
pub const MONTH_DAYS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// Monthly factors scaled to a day-weighted mean of 1 (so a year of them carries the annual
/// volume whatever their pattern).
///
/// ```
/// use portsim::sim::calendar::normalised;
/// let f = normalised(&[2.0; 12]);
/// assert!(f.iter().all(|&x| (x - 1.0).abs() < 1e-12));
/// ```
pub fn normalised(factors: &[f64; 12]) -> [f64; 12] {
    let mean: f64 = factors
        .iter()
        .zip(MONTH_DAYS)
        .map(|(s, d)| s * f64::from(d))
        .sum::<f64>()
        / 365.0;
    factors.map(|s| s / mean)
}

/// The month (0 = January) of a time given in hours since 1 January 00:00 (may be negative).
///
/// ```
/// use portsim::sim::month_of;
/// assert_eq!(month_of(0.0), 0);
/// assert_eq!(month_of(31.0 * 24.0), 1);
/// assert_eq!(month_of(-1.0), 11); // warm-up: the previous December
/// ```
pub fn month_of(hours_into_year: f64) -> usize {
    let day = (hours_into_year / 24.0).floor().rem_euclid(365.0) as u32;
    let mut acc = 0;
    for (m, d) in MONTH_DAYS.iter().enumerate() {
        acc += d;
        if day < acc {
            return m;
        }
    }
    11
}

/// Start of month `m` (0-based) in hours since 1 January.
pub fn month_start_h(m: usize) -> f64 {
    MONTH_DAYS[..m].iter().map(|&d| f64::from(d) * 24.0).sum()
}
