//! Exact results beyond exponential service: M/G/1 (Pollaczek–Khinchine) and M/E_k/c (Erlang
//! service on several servers, from its Markov chain). Berth service is closer to Erlang-2 than
//! to exponential — PIANC's planning tables assume it — so these are the checks nearest to a
//! berth group.

use super::QueueResult;

/// M/G/1: Poisson arrivals at `lambda`, one server, any service law with mean `mean_service`
/// and squared coefficient of variation `scv` (variance / mean²). Pollaczek–Khinchine:
/// W_q = ρ · E\[S\] · (1 + scv) / (2 (1 − ρ)); an arrival waits with probability ρ (PASTA).
///
/// ```
/// use portsim::theory::{mg1, mmc};
/// // Exponential service (scv = 1) is M/M/1.
/// let (g, m) = (mg1(0.7, 1.0, 1.0), mmc(1, 0.7, 1.0));
/// assert!((g.mean_wait - m.mean_wait).abs() < 1e-12);
/// // Deterministic service (M/D/1) halves the wait.
/// assert!((mg1(0.7, 1.0, 0.0).mean_wait - m.mean_wait / 2.0).abs() < 1e-12);
/// ```
pub fn mg1(lambda: f64, mean_service: f64, scv: f64) -> QueueResult {
    let rho = lambda * mean_service;
    assert!(rho < 1.0, "M/G/1 needs a stable queue (ρ < 1)");
    let mean_wait = rho * mean_service * (1.0 + scv) / (2.0 * (1.0 - rho));
    QueueResult {
        utilisation: rho,
        p_wait: rho,
        mean_wait,
        mean_queue: lambda * mean_wait,
    }
}

/// M/E_k/c: Poisson arrivals at `lambda`, `servers` identical servers, Erlang-`phases` service
/// with mean `mean_service` (`phases` = 1 is M/M/c). Exact up to rounding.
///
/// No closed form exists for c > 1, so the queue is solved as the Markov chain it is: a state
/// is the number n of calls in the system and how the min(n, c) calls in service spread over
/// the k phases (each phase exponential with rate k / E\[S\]). Levels n = 0, 1, … are linked
/// only to their neighbours, so the stationary law follows from linear level reduction — block
/// Gaussian elimination from the top level down, then the levels back up — on levels 0..N,
/// with N doubled until the top level holds under 10⁻¹⁵ of the probability (the tail is
/// geometric). P(wait) is the probability of n ≥ c (PASTA), L_q = Σ (n − c)⁺ p(n) and
/// W_q = L_q / λ (Little). Time and memory grow with the levels kept (≈ 1/(1 − ρ)) times the
/// square of a level's states (C(c + k − 1, k − 1): 45 for c = 8, k = 3, solved in 0.2 s at
/// ρ = 0.9): meant for berth groups, not for hundreds of servers.
///
/// ```
/// use portsim::theory::{mekc, mg1, mmc};
/// // One phase is M/M/c; one server is M/G/1 with scv = 1/k.
/// assert!((mekc(4, 1, 3.2, 1.0).mean_wait - mmc(4, 3.2, 1.0).mean_wait).abs() < 1e-9);
/// assert!((mekc(1, 2, 0.7, 1.0).mean_wait - mg1(0.7, 1.0, 0.5).mean_wait).abs() < 1e-9);
/// ```
pub fn mekc(servers: u32, phases: u32, lambda: f64, mean_service: f64) -> QueueResult {
    assert!(servers >= 1 && phases >= 1, "M/E_k/c needs c ≥ 1 and k ≥ 1");
    assert!(lambda >= 0.0, "M/E_k/c needs λ ≥ 0");
    let rho = lambda * mean_service / f64::from(servers);
    if lambda == 0.0 {
        return QueueResult {
            utilisation: 0.0,
            p_wait: 0.0,
            mean_wait: 0.0,
            mean_queue: 0.0,
        };
    }
    assert!(rho < 1.0, "M/E_k/c needs a stable queue (ρ < 1)");
    let chain = Chain::new(servers as usize, phases as usize, lambda, mean_service);
    let mut top = chain.c + 64;
    loop {
        let p = chain.level_probabilities(top);
        if p[top] < 1e-15 {
            let c = chain.c;
            let p_wait: f64 = p[c..].iter().sum();
            let mean_queue: f64 = p
                .iter()
                .enumerate()
                .skip(c)
                .map(|(n, q)| (n - c) as f64 * q)
                .sum();
            return QueueResult {
                utilisation: rho,
                p_wait,
                mean_wait: mean_queue / lambda,
                mean_queue,
            };
        }
        top *= 2;
    }
}

/// A dense matrix, row by row.
type Matrix = Vec<Vec<f64>>;

/// The M/E_k/c chain: for each number m of calls in service, the ways they spread over the
/// phases (`spreads[m]`, each a count per phase).
struct Chain {
    c: usize,
    k: usize,
    lambda: f64,
    /// Rate of one phase.
    rate: f64,
    spreads: Vec<Vec<Vec<u32>>>,
}

impl Chain {
    fn new(c: usize, k: usize, lambda: f64, mean_service: f64) -> Self {
        let spreads = (0..=c).map(|m| compositions(m as u32, k)).collect();
        Chain {
            c,
            k,
            lambda,
            rate: k as f64 / mean_service,
            spreads,
        }
    }

    /// The states of level n.
    fn states(&self, n: usize) -> &[Vec<u32>] {
        &self.spreads[n.min(self.c)]
    }

    /// Index of spread `a` at level n.
    fn index(&self, n: usize, a: &[u32]) -> usize {
        self.states(n)
            .iter()
            .position(|s| s.as_slice() == a)
            .expect("a spread of the level")
    }

    /// Rates from level n up to n + 1 (an arrival; below c it starts service in phase 1).
    fn up(&self, n: usize) -> Matrix {
        let mut u = zeros(self.states(n).len(), self.states(n + 1).len());
        for (i, a) in self.states(n).iter().enumerate() {
            let mut b = a.clone();
            if n < self.c {
                b[0] += 1;
            }
            u[i][self.index(n + 1, &b)] += self.lambda;
        }
        u
    }

    /// Rates from level n down to n − 1 (a call finishes its last phase; if others wait, the
    /// first of them starts in phase 1).
    fn down(&self, n: usize) -> Matrix {
        let last = self.k - 1;
        let mut d = zeros(self.states(n).len(), self.states(n - 1).len());
        for (i, a) in self.states(n).iter().enumerate() {
            if a[last] == 0 {
                continue;
            }
            let mut b = a.clone();
            b[last] -= 1;
            if n > self.c {
                b[0] += 1;
            }
            d[i][self.index(n - 1, &b)] += f64::from(a[last]) * self.rate;
        }
        d
    }

    /// Rates within level n (a call moves on a phase), with the diagonal: minus every rate out
    /// of the state, arrivals included but at the top level `top`, where they are turned away.
    fn local(&self, n: usize, top: usize) -> Matrix {
        let states = self.states(n);
        let mut l = zeros(states.len(), states.len());
        for (i, a) in states.iter().enumerate() {
            let mut out = if n < top { self.lambda } else { 0.0 };
            for p in 0..self.k {
                let r = f64::from(a[p]) * self.rate;
                out += r;
                if p + 1 < self.k && a[p] > 0 {
                    let mut b = a.clone();
                    b[p] -= 1;
                    b[p + 1] += 1;
                    l[i][self.index(n, &b)] += r;
                }
            }
            l[i][i] -= out;
        }
        l
    }

    /// The stationary probability of each level 0..=top of the chain truncated at `top`.
    fn level_probabilities(&self, top: usize) -> Vec<f64> {
        // R[n] links level n to n + 1: π_{n+1} = π_n R[n]. From the top:
        // R[top − 1] = −U_{top−1} L_top⁻¹, R[n − 1] = −U_{n−1} (L_n + R[n] D_{n+1})⁻¹.
        let mut r: Vec<Matrix> = vec![Vec::new(); top];
        let mut m = self.local(top, top);
        for n in (1..=top).rev() {
            r[n - 1] = scale(&mul(&self.up(n - 1), &inverse(&m)), -1.0);
            if n > 1 {
                m = add(&self.local(n - 1, top), &mul(&r[n - 1], &self.down(n)));
            }
        }
        // Level 0 is one state (the empty system); then up level by level.
        let mut pi = vec![1.0];
        let mut levels = vec![1.0];
        for rn in &r {
            pi = (0..rn[0].len())
                .map(|j| pi.iter().zip(rn).map(|(p, row)| p * row[j]).sum())
                .collect();
            levels.push(pi.iter().sum());
        }
        let total: f64 = levels.iter().sum();
        levels.iter().map(|p| p / total).collect()
    }
}

/// Every way to put `m` calls in `k` phases, as counts per phase.
fn compositions(m: u32, k: usize) -> Vec<Vec<u32>> {
    if k == 1 {
        return vec![vec![m]];
    }
    (0..=m)
        .rev()
        .flat_map(|first| {
            compositions(m - first, k - 1)
                .into_iter()
                .map(move |mut rest| {
                    rest.insert(0, first);
                    rest
                })
        })
        .collect()
}

fn zeros(rows: usize, cols: usize) -> Matrix {
    vec![vec![0.0; cols]; rows]
}

fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    let cols = b.first().map_or(0, Vec::len);
    a.iter()
        .map(|row| {
            (0..cols)
                .map(|j| row.iter().zip(b).map(|(x, brow)| x * brow[j]).sum())
                .collect()
        })
        .collect()
}

fn add(a: &Matrix, b: &Matrix) -> Matrix {
    a.iter()
        .zip(b)
        .map(|(x, y)| x.iter().zip(y).map(|(p, q)| p + q).collect())
        .collect()
}

fn scale(a: &Matrix, f: f64) -> Matrix {
    a.iter()
        .map(|row| row.iter().map(|x| x * f).collect())
        .collect()
}

/// The inverse of a square matrix by Gauss–Jordan elimination with partial pivoting (the
/// blocks here are non-singular: every state can leave its level).
fn inverse(a: &Matrix) -> Matrix {
    let n = a.len();
    let mut w: Matrix = a
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut r = row.clone();
            r.extend((0..n).map(|j| if i == j { 1.0 } else { 0.0 }));
            r
        })
        .collect();
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&x, &y| w[x][col].abs().total_cmp(&w[y][col].abs()))
            .expect("a row at or below the diagonal");
        w.swap(col, pivot);
        let p = w[col][col];
        assert!(p.abs() > 0.0, "a singular block in the M/E_k/c chain");
        for x in &mut w[col] {
            *x /= p;
        }
        let pivot_row = w[col].clone();
        for (r, row) in w.iter_mut().enumerate() {
            let f = row[col];
            if r != col && f != 0.0 {
                for (x, p) in row.iter_mut().zip(&pivot_row) {
                    *x -= f * p;
                }
            }
        }
    }
    w.into_iter().map(|row| row[n..].to_vec()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theory::mmc;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1e-12)
    }

    #[test]
    fn one_phase_is_erlang_c() {
        for (c, rho) in [(1, 0.5), (2, 0.7), (4, 0.8), (8, 0.9), (3, 0.95)] {
            let lambda = rho * c as f64;
            let (e, m) = (mekc(c, 1, lambda, 1.0), mmc(c, lambda, 1.0));
            assert!(
                close(e.mean_wait, m.mean_wait, 1e-9),
                "c {c} ρ {rho}: {e:?} {m:?}"
            );
            assert!(
                close(e.p_wait, m.p_wait, 1e-9),
                "c {c} ρ {rho}: {e:?} {m:?}"
            );
        }
    }

    #[test]
    fn no_arrivals_no_wait() {
        let e = mekc(2, 2, 0.0, 1.0);
        assert_eq!((e.mean_wait, e.p_wait, e.mean_queue), (0.0, 0.0, 0.0));
    }

    #[test]
    fn one_server_is_pollaczek_khinchine() {
        for (k, rho) in [(2, 0.3), (2, 0.9), (3, 0.7), (5, 0.8)] {
            let e = mekc(1, k, rho, 1.0);
            let g = mg1(rho, 1.0, 1.0 / f64::from(k));
            assert!(
                close(e.mean_wait, g.mean_wait, 1e-9),
                "k {k} ρ {rho}: {e:?} {g:?}"
            );
            assert!(close(e.p_wait, rho, 1e-9), "k {k} ρ {rho}: {e:?}");
        }
    }

    /// The chain keeps its servers as busy as the load says: mean calls in service = λ E\[S\]
    /// (a check on the solver that uses neither Erlang C nor Pollaczek–Khinchine).
    #[test]
    fn the_chain_carries_the_offered_load() {
        let chain = Chain::new(4, 2, 3.2, 1.0);
        let p = chain.level_probabilities(400);
        let busy: f64 = p.iter().enumerate().map(|(n, q)| n.min(4) as f64 * q).sum();
        assert!(close(busy, 3.2, 1e-9), "{busy}");
    }

    #[test]
    fn spreads_are_every_composition() {
        assert_eq!(compositions(2, 2), vec![vec![2, 0], vec![1, 1], vec![0, 2]]);
        // C(m + k − 1, k − 1) of them.
        assert_eq!(compositions(8, 3).len(), 45);
    }
}
