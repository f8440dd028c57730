//! Runs one design year of a scenario `n` times and prints ships, events and time (a profiling
//! aid: `cargo run --release --example count_events -- mm4-rho80 20`).
fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "liaoning-2020".into());
    let n: u32 = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let (model, _) = portsim::scenario::load(&name).expect("scenario");
    let t = std::time::Instant::now();
    let mut last = None;
    for rep in 0..n {
        last = Some(
            portsim::sim::simulate(
                &model,
                model.settings.base_year,
                rep,
                1,
                &Default::default(),
            )
            .expect("run"),
        );
    }
    let r = last.expect("at least one run");
    println!(
        "{name}: {} ships, {} events per run; {:.1} ms per run",
        r.ships,
        r.events,
        t.elapsed().as_secs_f64() * 1e3 / f64::from(n)
    );
}
