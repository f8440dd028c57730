//! Exact results beyond exponential service: M/G/1 (Pollaczek–Khinchine), and M/E_k/c and
//! E_j/E_k/c (Erlang service, and Erlang gaps between arrivals, on several servers, from their
//! Markov chain). Berth service is closer to Erlang-2 than to exponential — PIANC's planning
//! tables assume it, with Poisson or Erlang-2 arrivals — so these are the checks nearest to a
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
    ejekc(servers, 1, phases, lambda, mean_service)
}

/// E_j/E_k/c: Erlang-`arrival_phases` gaps between arrivals (mean 1/`lambda`), `servers`
/// identical servers, Erlang-`service_phases` service with mean `mean_service`. The chain of
/// [`mekc`] with the phase of the arrival under way added to every state; `arrival_phases` = 1
/// is [`mekc`]. Arrivals no longer see time averages, so P(wait) is taken at arrival epochs
/// (the states an arrival leaves from, weighted alike); W_q = L_q / λ still holds (Little).
/// A level has j times the states of [`mekc`]'s, so the work grows about j³-fold.
///
/// ```
/// use portsim::theory::ejekc;
/// // PIANC's E2/E2/n table: 0.4125 at occupancy 0.7 with two berths.
/// let w = ejekc(2, 2, 2, 1.4, 1.0).mean_wait;
/// assert!((w - 0.4125).abs() < 5e-5);
/// ```
pub fn ejekc(
    servers: u32,
    arrival_phases: u32,
    service_phases: u32,
    lambda: f64,
    mean_service: f64,
) -> QueueResult {
    assert!(
        servers >= 1 && arrival_phases >= 1 && service_phases >= 1,
        "E_j/E_k/c needs c, j, k ≥ 1"
    );
    assert!(lambda >= 0.0, "E_j/E_k/c needs λ ≥ 0");
    let rho = lambda * mean_service / f64::from(servers);
    if lambda == 0.0 {
        return QueueResult {
            utilisation: 0.0,
            p_wait: 0.0,
            mean_wait: 0.0,
            mean_queue: 0.0,
        };
    }
    assert!(rho < 1.0, "E_j/E_k/c needs a stable queue (ρ < 1)");
    let chain = Chain::new(
        servers as usize,
        arrival_phases as usize,
        service_phases as usize,
        lambda,
        mean_service,
    );
    let mut top = chain.c + 64;
    loop {
        let levels = chain.levels(top);
        if levels[top].all < 1e-15 {
            let c = chain.c;
            let arriving: f64 = levels.iter().map(|l| l.arriving).sum();
            let p_wait = levels[c..].iter().map(|l| l.arriving).sum::<f64>() / arriving;
            let mean_queue: f64 = levels
                .iter()
                .enumerate()
                .skip(c)
                .map(|(n, l)| (n - c) as f64 * l.all)
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

/// One level's stationary probability, all of it and in the states an arrival leaves from
/// (the last arrival phase).
struct Level {
    all: f64,
    arriving: f64,
}

/// A dense matrix, row by row.
type Matrix = Vec<Vec<f64>>;

/// The E_j/E_k/c chain. A state of level n (calls in system) is a spread of the min(n, c) calls
/// in service over the k service phases (`spreads[m]`, a count per phase) and the phase of the
/// arrival under way; its index is spread × j + arrival phase.
struct Chain {
    c: usize,
    /// Arrival phases (j).
    ja: usize,
    /// Service phases (k).
    k: usize,
    /// Rate of one arrival phase (j λ).
    arrival_rate: f64,
    /// Rate of one service phase (k / E\[S\]).
    rate: f64,
    spreads: Vec<Vec<Vec<u32>>>,
}

impl Chain {
    fn new(c: usize, ja: usize, k: usize, lambda: f64, mean_service: f64) -> Self {
        let spreads = (0..=c).map(|m| compositions(m as u32, k)).collect();
        Chain {
            c,
            ja,
            k,
            arrival_rate: ja as f64 * lambda,
            rate: k as f64 / mean_service,
            spreads,
        }
    }

    /// The spreads of level n.
    fn spreads(&self, n: usize) -> &[Vec<u32>] {
        &self.spreads[n.min(self.c)]
    }

    /// The number of states of level n.
    fn size(&self, n: usize) -> usize {
        self.spreads(n).len() * self.ja
    }

    /// Index at level n of spread `b` with the arrival in phase `a`.
    fn index(&self, n: usize, b: &[u32], a: usize) -> usize {
        let s = self
            .spreads(n)
            .iter()
            .position(|x| x.as_slice() == b)
            .expect("a spread of the level");
        s * self.ja + a
    }

    /// Rates from level n up to n + 1: an arrival (the end of its last arrival phase; the next
    /// arrival starts in the first) — below c it starts service in the first service phase.
    fn up(&self, n: usize) -> Matrix {
        let last = self.ja - 1;
        let mut u = zeros(self.size(n), self.size(n + 1));
        for (s, b) in self.spreads(n).iter().enumerate() {
            let mut to = b.clone();
            if n < self.c {
                to[0] += 1;
            }
            u[s * self.ja + last][self.index(n + 1, &to, 0)] += self.arrival_rate;
        }
        u
    }

    /// Rates from level n down to n − 1 (a call finishes its last service phase; if others
    /// wait, the first of them starts in the first; the arrival under way keeps its phase).
    fn down(&self, n: usize) -> Matrix {
        let last = self.k - 1;
        let mut d = zeros(self.size(n), self.size(n - 1));
        for (s, b) in self.spreads(n).iter().enumerate() {
            if b[last] == 0 {
                continue;
            }
            let mut to = b.clone();
            to[last] -= 1;
            if n > self.c {
                to[0] += 1;
            }
            for a in 0..self.ja {
                d[s * self.ja + a][self.index(n - 1, &to, a)] += f64::from(b[last]) * self.rate;
            }
        }
        d
    }

    /// Rates within level n (a call in service, or the arrival under way, moves on a phase),
    /// with the diagonal: minus every rate out of the state. At the top level `top` an arrival
    /// that completes is lost: its clock stays in its last phase until a call leaves (the
    /// truncation; the top level holds under 10⁻¹⁵ of the probability).
    fn local(&self, n: usize, top: usize) -> Matrix {
        let mut l = zeros(self.size(n), self.size(n));
        for (s, b) in self.spreads(n).iter().enumerate() {
            for a in 0..self.ja {
                let i = s * self.ja + a;
                let mut out = 0.0;
                if a + 1 < self.ja {
                    out += self.arrival_rate;
                    l[i][i + 1] += self.arrival_rate;
                } else if n < top {
                    out += self.arrival_rate;
                }
                for p in 0..self.k {
                    let r = f64::from(b[p]) * self.rate;
                    out += r;
                    if p + 1 < self.k && b[p] > 0 {
                        let mut to = b.clone();
                        to[p] -= 1;
                        to[p + 1] += 1;
                        l[i][self.index(n, &to, a)] += r;
                    }
                }
                l[i][i] -= out;
            }
        }
        l
    }

    /// The stationary law of each level 0..=top of the chain truncated at `top`.
    fn levels(&self, top: usize) -> Vec<Level> {
        // R[n] links level n to n + 1: π_{n+1} = π_n R[n]. From the top:
        // R[top − 1] = −U_{top−1} L_top⁻¹, R[n − 1] = −U_{n−1} (L_n + R[n] D_{n+1})⁻¹.
        let mut r: Vec<Matrix> = vec![Vec::new(); top];
        let mut m = self.local(top, top);
        for n in (1..=top).rev() {
            r[n - 1] = scale(&mul(&self.up(n - 1), &inverse(&m)), -1.0);
            m = add(&self.local(n - 1, top), &mul(&r[n - 1], &self.down(n)));
        }
        // Level 0 (the empty system, in each arrival phase): π_0 M = 0, its sum fixed by
        // putting ones in place of M's last column (the equation it drops is implied).
        let last = m.len() - 1;
        for row in &mut m {
            row[last] = 1.0;
        }
        let mut pi = inverse(&m)[last].clone();
        let level = |pi: &[f64]| Level {
            all: pi.iter().sum(),
            arriving: pi.iter().skip(self.ja - 1).step_by(self.ja).sum(),
        };
        let mut levels = vec![level(&pi)];
        for rn in &r {
            pi = (0..rn[0].len())
                .map(|j| pi.iter().zip(rn).map(|(p, row)| p * row[j]).sum())
                .collect();
            levels.push(level(&pi));
        }
        let total: f64 = levels.iter().map(|l| l.all).sum();
        for l in &mut levels {
            l.all /= total;
            l.arriving /= total;
        }
        levels
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
/// matrices here are non-singular: every state can leave its level, and level 0's balance has
/// its last column replaced by the normalisation).
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
        assert!(p.abs() > 0.0, "a singular block in the E_j/E_k/c chain");
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
        for ja in [1, 2, 3] {
            let chain = Chain::new(4, ja, 2, 3.2, 1.0);
            let levels = chain.levels(400);
            let busy: f64 = levels
                .iter()
                .enumerate()
                .map(|(n, l)| n.min(4) as f64 * l.all)
                .sum();
            assert!(close(busy, 3.2, 1e-9), "E{ja}/E2/4: {busy}");
        }
    }

    #[test]
    fn spreads_are_every_composition() {
        assert_eq!(compositions(2, 2), vec![vec![2, 0], vec![1, 1], vec![0, 2]]);
        // C(m + k − 1, k − 1) of them.
        assert_eq!(compositions(8, 3).len(), 45);
    }
}
