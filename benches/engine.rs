//! Benchmarks, grouped as SimPy groups its own:
//!
//! - `engine/mm4-rho80`: the kernel on M/M/4 at ρ = 0.8, with all statistics on, reported in
//!   ships per second (tools count events differently; ships are comparable).
//! - `baseline/liaoning-2020-one-year`: one design year of the built-in baseline, one thread.
//! - `replications/liaoning-2020-x4`: four replications on 1 and on 2 threads (scaling).
//! - `sweep/liaoning-2020-4x2`: a 4-point × 2-replication sweep on 1 and 2 threads, writing its
//!   point files and outputs.
//! - `events/…`: the M/M/4 and baseline runs again, reported in events per second (the unit
//!   published DES figures use, per core).
//!
//! Run with `cargo bench --bench engine`; the README records the figures.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use portsim::experiment::{RunOptions, run_scenario};
use portsim::sim::{SimOptions, simulate};

fn engine(c: &mut Criterion) {
    let (mut model, _) = portsim::scenario::load("mm4-rho80").expect("built-in");
    // Ten years per run so that set-up is negligible next to the ships.
    model.settings.measured_days = 3650.0;
    let ships = simulate(&model, 2020, 0, 1, &SimOptions::default())
        .expect("run")
        .ships;
    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Elements(ships));
    g.sample_size(20);
    g.bench_function("mm4-rho80", |b| {
        b.iter(|| simulate(black_box(&model), 2020, 0, 1, &SimOptions::default()).expect("run"))
    });
    g.finish();
}

fn baseline(c: &mut Criterion) {
    let (model, _) = portsim::scenario::load("liaoning-2020").expect("built-in");
    let ships = simulate(&model, 2020, 0, 1, &SimOptions::default())
        .expect("run")
        .ships;
    let mut g = c.benchmark_group("baseline");
    g.throughput(Throughput::Elements(ships));
    g.sample_size(20);
    g.bench_function("liaoning-2020-one-year", |b| {
        let mut rep = 0;
        b.iter_batched(
            || {
                rep += 1;
                rep
            },
            |rep| simulate(black_box(&model), 2020, rep, 1, &SimOptions::default()).expect("run"),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

fn events(c: &mut Criterion) {
    let (mut mm4, _) = portsim::scenario::load("mm4-rho80").expect("built-in");
    mm4.settings.measured_days = 3650.0;
    let (baseline, _) = portsim::scenario::load("liaoning-2020").expect("built-in");
    let mut g = c.benchmark_group("events");
    g.sample_size(20);
    for (name, model) in [("mm4-rho80", &mm4), ("liaoning-2020-one-year", &baseline)] {
        let events = simulate(model, 2020, 0, 1, &SimOptions::default())
            .expect("run")
            .events;
        g.throughput(Throughput::Elements(events));
        g.bench_function(name, |b| {
            b.iter(|| simulate(black_box(model), 2020, 0, 1, &SimOptions::default()).expect("run"))
        });
    }
    g.finish();
}

fn replications(c: &mut Criterion) {
    let (model, _) = portsim::scenario::load("liaoning-2020").expect("built-in");
    let mut g = c.benchmark_group("replications");
    g.sample_size(10);
    for threads in [1usize, 2] {
        let mut o = RunOptions::defaults_for(&model);
        o.replications = 4;
        o.threads = Some(threads);
        g.bench_function(format!("liaoning-2020-x4/threads-{threads}"), |b| {
            b.iter(|| run_scenario(&model, &o, &|_, _| {}).expect("run"))
        });
    }
    g.finish();
}

fn sweep(c: &mut Criterion) {
    // A 4-point sweep of the baseline, 2 replications a point, into a fresh directory each time
    // (a sweep resumes, so a reused directory would skip every point).
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("sweep.toml");
    let base = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/liaoning-2020.toml");
    std::fs::write(
        &file,
        format!(
            "scenario = {base:?}\nreplications = 2\n[[parameters]]\npath = \"demand_multiplier\"\nvalues = [0.9, 1.0, 1.1, 1.2]\n"
        ),
    )
    .expect("write");
    let sweep = portsim::experiment::load_sweep(&file.to_string_lossy()).expect("sweep");
    let mut g = c.benchmark_group("sweep");
    g.sample_size(10);
    g.throughput(Throughput::Elements(8)); // replications
    for threads in [1usize, 2] {
        let mut n = 0;
        g.bench_function(format!("liaoning-2020-4x2/threads-{threads}"), |b| {
            b.iter_batched(
                || {
                    n += 1;
                    dir.path().join(format!("out-{threads}-{n}"))
                },
                |out| {
                    portsim::experiment::run_sweep(&sweep, &out, None, Some(threads), &|_, _| {})
                        .expect("sweep")
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, engine, baseline, events, replications, sweep);
criterion_main!(benches);
