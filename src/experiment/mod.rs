//! Experiments: replications of design years, run in parallel with rayon.
//!
//! Every (design year, replication) pair is an independent run whose random streams derive
//! from `(seed, year, replication)` alone. Runs execute on a pool of the requested size and are
//! collected in index order, so the results — and every byte written from them — are the same
//! whatever the number of threads.

mod capacity;
mod compare;
mod projects;
mod sweep;

pub use capacity::{Bound, CapacityOptions, Criterion, SEARCH_LIMIT, Scope, capacity};
pub use compare::compare;
#[cfg(test)]
pub(crate) use projects::need_for_test;
pub use projects::{
    Benefit, Limit, MATERIAL_SHARE, ProjectNeed, ProjectsOptions, benefit_in, best_opening_year,
    capital_recovery_factor, first_year_return, project_needs, value,
};
pub use sweep::{
    DEMAND_MULTIPLIER, Parameter, Point, SENSITIVITY_COLUMNS, Sampled, Shard, SobolIndex, Sweep,
    SweepDesign, SweepManifest, SweepStatus, load_sweep, merge, normal_cdf, normal_quantile,
    parquet_sweep_summary, run_sweep, sensitivity_skipped, sobol_indices, standardized_regression,
    standardized_regression_se, value_text,
};

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::model::Model;
use crate::results::{RunResult, ScenarioRuns};
use crate::sim::{DEFAULT_MAX_EVENTS, SimOptions, estimate, simulate};

/// How to run a scenario.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Replications per design year.
    pub replications: u32,
    /// Master seed.
    pub seed: u64,
    /// Design years.
    pub years: Vec<u16>,
    /// Worker threads (None: one per core).
    pub threads: Option<usize>,
    /// What each run records besides KPIs.
    pub sim: SimOptions,
    /// The most events one run may take, by its estimate before it starts; a run is stopped
    /// if it actually reaches twice this.
    pub max_events: u64,
}

impl RunOptions {
    /// The scenario's own defaults (its replications, seed and design years).
    pub fn defaults_for(model: &Model) -> RunOptions {
        RunOptions {
            replications: model.settings.replications,
            seed: model.settings.seed,
            years: model.settings.years.clone(),
            threads: None,
            sim: SimOptions::default(),
            max_events: DEFAULT_MAX_EVENTS,
        }
    }
}

/// Refuses a merge whose `--out` is one of the directories it merges: writing there would
/// overwrite a shard's own results before the merge could be checked or rerun.
pub(crate) fn refuse_merging_into_a_source(dirs: &[PathBuf], out: &Path) -> Result<()> {
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    match dirs.iter().find(|d| same(d, out)) {
        Some(d) => Err(Error::Usage(format!(
            "--out {} is one of the directories merged; merge into a new directory",
            d.display()
        ))),
        None => Ok(()),
    }
}

/// Runs `work` on a pool of `threads` workers, or on rayon's global pool (one per core).
pub(crate) fn in_pool<T: Send>(
    threads: Option<usize>,
    work: impl FnOnce() -> Result<T> + Send,
) -> Result<T> {
    match threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map_err(|e| Error::Other(format!("cannot start {n} worker threads: {e}")))?
            .install(work),
        None => work(),
    }
}

/// Runs `work` on every item over the current pool's threads and returns the failures in the
/// items' `index` order — the same whatever the threads' timing, where stopping at the first
/// failure to happen would report whichever a thread reached first. Every item runs even when
/// another fails (an item's failure is its own, and what finishes is kept), except that a
/// failure to read or write a file stops the items not yet started: the disk is at fault, not
/// the item, and which items had started then depends on the timing.
pub(crate) fn failures_in_order<T: Sync>(
    items: &[T],
    index: impl Fn(&T) -> usize + Sync,
    work: impl Fn(&T) -> Result<()> + Sync,
) -> Vec<(usize, Error)> {
    let stop = std::sync::atomic::AtomicBool::new(false);
    let mut failed: Vec<(usize, Error)> = items
        .iter()
        .par_bridge()
        .filter_map(|item| {
            if stop.load(Ordering::Relaxed) {
                return None;
            }
            let e = work(item).err()?;
            if matches!(e, Error::Io { .. }) {
                stop.store(true, Ordering::Relaxed);
            }
            Some((index(item), e))
        })
        .collect();
    failed.sort_by_key(|(i, _)| *i);
    failed
}

/// The most replications a run may ask for (as a scenario's `replications`).
pub const MAX_REPLICATIONS: u32 = 100_000;

/// Checks options against a model before anything runs.
///
/// # Errors
/// [`Error::Usage`] for replications out of range, no years, a year given twice or out of
/// range, an event budget of zero.
pub fn check_options(model: &Model, options: &RunOptions) -> Result<()> {
    if !(1..=MAX_REPLICATIONS).contains(&options.replications) {
        return Err(Error::Usage(format!(
            "--reps {}: expected 1 to {MAX_REPLICATIONS} replications",
            options.replications
        )));
    }
    if options.max_events == 0 {
        return Err(Error::Usage(
            "--max-events 0: expected a budget of at least 1 event a run".into(),
        ));
    }
    if options.years.is_empty() {
        return Err(Error::Usage("no design years to run".into()));
    }
    for (i, &y) in options.years.iter().enumerate() {
        if options.years[..i].contains(&y) {
            // A year run twice would count each replication twice in its summary.
            return Err(Error::Usage(format!("design year {y} is given twice")));
        }
        if y > 2200 {
            return Err(Error::Usage(format!(
                "design year {y}: expected design years up to 2200"
            )));
        }
        if y < model.settings.base_year {
            return Err(Error::Usage(format!(
                "design year {y} is before the scenario's base year {} ({})",
                model.settings.base_year, model.name
            )));
        }
    }
    if options.threads == Some(0) {
        return Err(Error::Usage("--threads must be at least 1".into()));
    }
    Ok(())
}

/// Refuses a design year whose runs would take more events than the budget, with the
/// estimate and how to raise the budget.
///
/// # Errors
/// [`Error::Usage`] naming the scenario, the year, the estimate and `--max-events`.
pub fn check_size(model: &Model, year: u16, max_events: u64) -> Result<()> {
    // Grown demand stays within what any port could carry (the bound scenario files have).
    for f in &model.flows {
        let (max, unit) = if f.cargo.is_container() {
            (crate::model::MAX_VOLUME_TEU_PER_YR, "TEU")
        } else {
            (crate::model::MAX_VOLUME_T_PER_YR, "t")
        };
        // At the highest growth a replication can draw.
        let grown = f.volume_per_yr * model.growth_factor_high(f, year);
        if grown.is_nan() || grown > max {
            return Err(Error::Usage(format!(
                "scenario `{}`, design year {year}: flow `{}` grows to {grown:.3e} {unit} a year (its volume × growth × demand multiple), more than the {max:.0e} {unit} a year any flow may carry; check its growth rate and the design year",
                model.name, f.name
            )));
        }
    }
    let size = estimate(model, year);
    if size.events <= max_events as f64 {
        return Ok(());
    }
    let days = model.settings.warmup_days + model.settings.measured_days;
    // A round budget that would admit it, to copy.
    let needed = 10f64.powf(size.events.log10().ceil()).min(1e18) as u64;
    Err(Error::Usage(format!(
        "scenario `{}`, design year {year}: one run would take about {:.1e} events ({:.1e} ship calls over {days} simulated days), more than the budget of {max_events} events per run; check the demand, or if the run is meant to be this large raise the budget with --max-events {needed}",
        model.name, size.events, size.calls
    )))
}

/// Runs every design year × replication of a scenario in parallel.
///
/// `progress` is called after each run with the number finished so far (from worker threads).
///
/// # Errors
/// [`Error::Usage`] for invalid options; [`Error::Sim`] if a run breaks an invariant.
pub fn run_scenario(
    model: &Model,
    options: &RunOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<ScenarioRuns> {
    check_options(model, options)?;
    let jobs: Vec<(u16, u32)> = options
        .years
        .iter()
        .flat_map(|&y| (0..options.replications).map(move |r| (y, r)))
        .collect();
    let total = jobs.len();
    let done = AtomicUsize::new(0);
    // Each design year has its own model: the projects in service by then.
    let mut year_models: Vec<(u16, Model)> = Vec::new();
    for &y in &options.years {
        if !year_models.iter().any(|(x, _)| *x == y) {
            year_models.push((y, crate::scenario::model_for_year(model, y)?));
        }
    }
    for (y, m) in &year_models {
        check_size(m, *y, options.max_events)?;
    }
    let sim_options = SimOptions {
        max_events: Some(options.max_events.saturating_mul(2)),
        ..options.sim
    };
    let model_of = |y: u16| {
        &year_models
            .iter()
            .find(|(x, _)| *x == y)
            .expect("built above")
            .1
    };
    let work = || -> Vec<Result<RunResult>> {
        jobs.par_iter()
            .map(|&(year, rep)| {
                let r = simulate(model_of(year), year, rep, options.seed, &sim_options)
                    .map_err(Error::from);
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                r
            })
            .collect()
    };
    // Every run finishes (each is bounded by its event budget) and the first failure in the
    // runs' order is reported — not the first to happen, which depends on the threads.
    let runs = in_pool(options.threads, || Ok(work()))?
        .into_iter()
        .collect::<Result<Vec<_>>>()?;
    Ok(ScenarioRuns {
        scenario: model.name.clone(),
        years: options.years.clone(),
        replications: options.replications,
        seed: options.seed,
        runs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_come_in_the_items_order_whatever_the_threads_and_the_rest_still_run() {
        // Items fail on 31, 7 and 23: on two threads, ten times over, the failures come back
        // as 7, 23, 31 and every item ran.
        let items: Vec<usize> = (0..40).rev().collect();
        for _ in 0..10 {
            let ran = AtomicUsize::new(0);
            let failed = in_pool(Some(2), || {
                Ok(failures_in_order(
                    &items,
                    |&i| i,
                    |&i| {
                        ran.fetch_add(1, Ordering::Relaxed);
                        match i {
                            7 | 23 | 31 => Err(Error::Usage(format!("item {i}"))),
                            _ => Ok(()),
                        }
                    },
                ))
            })
            .expect("a pool");
            let got: Vec<(usize, String)> =
                failed.iter().map(|(i, e)| (*i, e.to_string())).collect();
            let want: Vec<(usize, String)> = [7, 23, 31].map(|i| (i, format!("item {i}"))).to_vec();
            assert_eq!(got, want);
            assert_eq!(ran.load(Ordering::Relaxed), 40);
        }
    }

    #[test]
    fn a_failure_to_write_stops_the_items_not_yet_started() {
        // On one thread the items start in order: the write failing at the sixth stops the
        // rest, where a point's own failure (the third) does not.
        let items: Vec<usize> = (0..20).collect();
        let ran = AtomicUsize::new(0);
        let failed = in_pool(Some(1), || {
            Ok(failures_in_order(
                &items,
                |&i| i,
                |&i| {
                    ran.fetch_add(1, Ordering::Relaxed);
                    match i {
                        2 => Err(Error::Other("its own".into())),
                        5 => Err(Error::Io {
                            context: "writing".into(),
                            source: std::io::Error::other("disk full"),
                        }),
                        _ => Ok(()),
                    }
                },
            ))
        })
        .expect("a pool");
        assert_eq!(failed.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [2, 5]);
        assert_eq!(ran.load(Ordering::Relaxed), 6);
    }
}
