//! Exact queueing results the engine is checked against.

mod general_service;

pub use general_service::{ejekc, mekc, mg1};

/// The Erlang C probability that an arrival must wait in an M/M/c queue.
///
/// `offered_load` is a = λ/μ (in Erlangs); requires a < c.
///
/// ```
/// use portsim::theory::erlang_c;
/// // M/M/1: P(wait) = ρ.
/// assert!((erlang_c(1, 0.7) - 0.7).abs() < 1e-12);
/// ```
pub fn erlang_c(servers: u32, offered_load: f64) -> f64 {
    let c = f64::from(servers);
    assert!(offered_load < c, "Erlang C needs a stable queue (a < c)");
    // Erlang B by its stable recursion, then C from B.
    let mut b = 1.0;
    for k in 1..=servers {
        let k = f64::from(k);
        b = offered_load * b / (k + offered_load * b);
    }
    let rho = offered_load / c;
    b / (1.0 - rho * (1.0 - b))
}

/// Exact steady-state results for a queue ([`mmc`], [`mg1`], [`mekc`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueResult {
    /// Server utilisation ρ = λ / (cμ).
    pub utilisation: f64,
    /// Probability that an arrival waits (for M/M/c, Erlang C).
    pub p_wait: f64,
    /// Mean time in queue, W_q, in the time unit of the rates.
    pub mean_wait: f64,
    /// Mean number waiting, L_q = λ W_q.
    pub mean_queue: f64,
}

/// M/M/c with arrival rate `lambda` and service rate `mu` per server.
///
/// ```
/// use portsim::theory::mmc;
/// let r = mmc(1, 0.9, 1.0);
/// assert!((r.mean_wait - 9.0).abs() < 1e-9); // ρ/(μ−λ)
/// ```
pub fn mmc(servers: u32, lambda: f64, mu: f64) -> QueueResult {
    let a = lambda / mu;
    let p_wait = erlang_c(servers, a);
    let mean_wait = p_wait / (f64::from(servers) * mu - lambda);
    QueueResult {
        utilisation: a / f64::from(servers),
        p_wait,
        mean_wait,
        mean_queue: lambda * mean_wait,
    }
}

/// Waiting factor (mean wait / mean service) of the E2/E2/n queue by occupancy (rows 0.3–0.9)
/// and berths (columns 1–8): Groenveld (2007), as PIANC (2014) Tables 6.1/6.2 (facts file §4.5,
/// [S117]). The (0.5, 4) entry, printed 0.0532, is a transcription error in that source: the
/// E2/E2/4 chain ([`ejekc`]) gives 0.0257, which stands here (the geometric mean of its
/// neighbours, 0.0270, stood in before; no limit of 0.10 or more reads that entry). The
/// chain also shows how exact the rest is: the one-berth column to the printed four decimals,
/// rows 0.3–0.7 to within 0.0005, rows 0.8–0.9 for two berths or more mostly to one or two
/// significant digits (1.20 printed for 1.30, 0.65 for 0.72) — left as published, being the
/// guidance.
const E2E2N: [[f64; 8]; 7] = [
    [0.1310, 0.0235, 0.0062, 0.0019, 0.0007, 0.0002, 0.0001, 0.0],
    [
        0.2355, 0.0576, 0.0205, 0.0085, 0.0039, 0.0019, 0.0009, 0.0005,
    ],
    [
        0.3904, 0.1181, 0.0512, 0.0257, 0.0142, 0.0082, 0.0050, 0.0031,
    ],
    [
        0.6306, 0.2222, 0.1103, 0.0639, 0.0400, 0.0265, 0.0182, 0.0128,
    ],
    [
        1.0391, 0.4125, 0.2275, 0.1441, 0.0988, 0.0712, 0.0532, 0.0407,
    ],
    [
        1.8653, 0.8300, 0.4600, 0.3300, 0.2300, 0.1900, 0.1400, 0.1200,
    ],
    [
        4.3590, 2.0000, 1.2000, 0.9200, 0.6500, 0.5700, 0.4400, 0.4000,
    ],
];

/// The occupancy at which an E2/E2/n berth group's waiting factor reaches `limit`, by linear
/// interpolation in PIANC's table (berth counts above 8 use the 8-berth column, a cautious
/// value): the planner's allowable berth occupancy. The table stops at 0.9, and so does this:
/// a limit beyond its last row gives 0.9 (no planner allows a berth group more).
///
/// ```
/// use portsim::theory::allowable_occupancy;
/// // One berth, wait ≤ 30 % of service: between 0.4 (0.2355) and 0.5 (0.3904).
/// let x = allowable_occupancy(1, 0.30);
/// assert!((x - (0.4 + 0.1 * (0.30 - 0.2355) / (0.3904 - 0.2355))).abs() < 1e-12);
/// assert!(allowable_occupancy(4, 0.30) > x); // more berths, higher occupancy allowed
/// assert_eq!(allowable_occupancy(1, 20.0), 0.9); // beyond the table: its top row
/// ```
pub fn allowable_occupancy(berths: u32, limit: f64) -> f64 {
    let col = (berths.clamp(1, 8) - 1) as usize;
    let occ = |r: usize| 0.3 + 0.1 * r as f64;
    if E2E2N[0][col] >= limit {
        return 0.3 * limit / E2E2N[0][col].max(1e-12);
    }
    for r in 1..E2E2N.len() {
        let (a, b) = (E2E2N[r - 1][col], E2E2N[r][col]);
        if b >= limit {
            return occ(r - 1) + 0.1 * (limit - a) / (b - a);
        }
    }
    0.9
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PIANC (2014) / Groenveld (2007), M/E2/n waiting factors (mean wait / mean service) by
    /// occupancy (rows 0.4–0.8) and berths (columns 1–6), as printed to two decimals (facts
    /// file §4.5, [S117]).
    const PIANC_ME2N: [[f64; 6]; 5] = [
        [0.50, 0.15, 0.06, 0.03, 0.02, 0.01],
        [0.75, 0.26, 0.12, 0.07, 0.04, 0.03],
        [1.13, 0.43, 0.23, 0.14, 0.09, 0.06],
        [1.75, 0.73, 0.42, 0.27, 0.19, 0.14],
        [3.00, 1.34, 0.82, 0.57, 0.42, 0.33],
    ];

    /// The E2/E2/n table (as published, the (0.5, 4) typo put back) against the exact chain:
    /// rows 0.3–0.7 and one berth to the printed digits, rows 0.8–0.9 within 10 % (their
    /// coarse entries), and the typo far from it.
    #[test]
    fn the_e2_e2_n_table_is_the_exact_chain_where_printed_in_full() {
        let mut printed = E2E2N;
        printed[2][3] = 0.0532;
        for (r, row) in printed.iter().enumerate() {
            let occupancy = 0.3 + 0.1 * r as f64;
            for (col, &value) in row.iter().enumerate() {
                let n = col as u32 + 1;
                let exact = ejekc(n, 2, 2, occupancy * f64::from(n), 1.0).mean_wait;
                let ok = if (r, col) == (2, 3) {
                    (exact - 0.0257).abs() < 5e-5 && (value - exact).abs() > 0.02
                } else if r <= 4 || n == 1 {
                    (exact - value).abs() <= 5e-4
                } else {
                    (exact - value).abs() <= 0.10 * exact
                };
                assert!(
                    ok,
                    "occupancy {occupancy:.1}, {n} berths: exact {exact:.4}, table {value}"
                );
            }
        }
    }

    #[test]
    fn erlang_service_reproduces_the_pianc_m_e2_n_table() {
        for (r, row) in PIANC_ME2N.iter().enumerate() {
            let occupancy = 0.4 + 0.1 * r as f64;
            for (col, &printed) in row.iter().enumerate() {
                let n = col as u32 + 1;
                let exact = mekc(n, 2, occupancy * f64::from(n), 1.0).mean_wait;
                assert!(
                    (exact - printed).abs() <= 0.005 + 1e-9,
                    "occupancy {occupancy:.1}, {n} berths: exact {exact:.4}, PIANC {printed}"
                );
            }
        }
    }

    #[test]
    fn erlang_c_matches_a_published_value() {
        // c = 2, a = 1: C = 1/3 (textbook value).
        assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
        // c = 4, ρ = 0.8 (a = 3.2): C ≈ 0.59643 (computed by the closed form).
        let a: f64 = 3.2;
        let c = 4.0;
        let mut sum = 0.0;
        let mut term = 1.0;
        for k in 0..4 {
            if k > 0 {
                term *= a / k as f64;
            }
            sum += term;
        }
        let top = term * a / 4.0 * c / (c - a);
        let closed = top / (sum + top);
        assert!((erlang_c(4, a) - closed).abs() < 1e-12);
    }
}
