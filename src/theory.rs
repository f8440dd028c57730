//! Exact queueing results the engine is checked against.

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

/// Exact steady-state results for an M/M/c queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MmcResult {
    /// Server utilisation ρ = λ / (cμ).
    pub utilisation: f64,
    /// Probability of waiting (Erlang C).
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
pub fn mmc(servers: u32, lambda: f64, mu: f64) -> MmcResult {
    let a = lambda / mu;
    let p_wait = erlang_c(servers, a);
    let mean_wait = p_wait / (f64::from(servers) * mu - lambda);
    MmcResult {
        utilisation: a / f64::from(servers),
        p_wait,
        mean_wait,
        mean_queue: lambda * mean_wait,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
