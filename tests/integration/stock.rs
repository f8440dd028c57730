//! Stock-driven arrivals: a tank sends out its flow's volume hour by hour and orders a ship
//! when stock plus cargo on order falls to the reorder level. Checked by hand: the ships'
//! dates, the hours the tank stands empty, and what a tank too full to take a ship does.

use crate::util::{check_rejects, kpi, model_from};
use portsim::sim::{SimOptions, simulate};

/// One tank of 100,000 t sending out 1,000 t/h (8.76 Mt a year, flat), one jetty working
/// 10,000 t/h with no mooring time and no channel, ships of exactly 50,000 t ordered `lead` h
/// ahead at a reorder level of `reorder` t, from `initial` t in the tank.
fn tank(reorder: f64, initial: f64, lead: f64) -> String {
    format!(
        r#"
name = "tank"
[run]
base_year = 2020
warmup_days = 0
measured_days = 30
replications = 1
seed = 1

[[ship_classes]]
name = "lng-carrier"
cargo = "lng"
parcel_t = {{ dist = "fixed", value = 50000 }}

[[regions]]
name = "Grid"

[[ports]]
name = "Gasport"

  [[ports.areas]]
  name = "open-water"

    [[ports.areas.terminals]]
    name = "LNG"
    cargo = ["lng"]
    yard_capacity_t = 100000
    pipeline_t_per_h = 5000

      [[ports.areas.terminals.berths]]
      name = "jetty"
      rate_t_per_h = 10000
      mooring_h = 0

[[flows]]
name = "gas"
cargo = "lng"
direction = "import"
port = "Gasport"
volume_t_per_yr = 8760000
ships = [{{ class = "lng-carrier" }}]
region = "Grid"
modes = {{ pipeline = 1.0 }}
arrivals = "stock"
stock = {{ reorder_t = {reorder}, initial_t = {initial}, lead_h = {{ dist = "fixed", value = {lead} }} }}
"#
    )
}

fn arrivals(text: &str) -> (Vec<f64>, portsim::sim::RunResult) {
    let model = model_from(text);
    let opts = SimOptions {
        record_calls: true,
        ..SimOptions::default()
    };
    let r = simulate(&model, 2020, 0, 1, &opts).expect("run");
    let mut t: Vec<f64> = r.calls.iter().map(|c| c.arrival_h).collect();
    t.sort_by(f64::total_cmp);
    (t, r)
}

#[test]
fn a_tank_orders_a_ship_each_time_its_position_reaches_the_reorder_level() {
    // Each hour's send-out leaves at its start, so 60,000 t is down to the reorder level of
    // 30,000 t once the hour starting at 29 h has gone: the first ship is ordered then and
    // arrives 20 h later. Each order lifts the position (stock + on order) by 50,000 t, which
    // the send-out takes 50 h to use: orders at 29, 79, 129 … h, arrivals at 49, 99, 149 … h.
    // The tank is lowest (10,000 t) as each ship arrives: it never runs dry.
    let (t, r) = arrivals(&tank(30000.0, 60000.0, 20.0));
    let expected: Vec<f64> = (0..14).map(|k| 49.0 + 50.0 * f64::from(k)).collect();
    assert_eq!(t, expected, "arrival hours");
    assert_eq!(kpi(&r, "Gasport", "lng", "stockout_h"), 0.0);
    assert_eq!(kpi(&r, "Gasport", "lng", "send_out_short_t"), 0.0);
    // The send-out is the flow's 1,000 t/h, every hour of the 720.
    assert_eq!(kpi(&r, "Gasport", "lng", "pipeline_t"), 720_000.0);
    assert_eq!(kpi(&r, "Gasport", "lng", "blocked_h_mean"), 0.0);
}

#[test]
fn a_lead_time_longer_than_the_reorder_cover_leaves_the_tank_empty_by_hand_count() {
    // Reorder at 30,000 t covers 30 h of send-out; the ship takes 40 h. Ordered at 29 h, it
    // arrives at 69 h; the tank is empty once the hour starting at 59 h has gone, so the
    // send-out of the hours starting at 60 … 70 h is missed (the first 20,000 t step lands at
    // 71 h). No send-out, no fall in position: it reaches the reorder level again with the
    // 20th hour after sending resumes, at 90 h. Each cycle is 61 h with 11 empty hours: in
    // 720 h, 11 whole cycles, 121 h and 121,000 t short.
    let (t, r) = arrivals(&tank(30000.0, 60000.0, 40.0));
    let expected: Vec<f64> = (0..11).map(|k| 69.0 + 61.0 * f64::from(k)).collect();
    assert_eq!(t, expected, "arrival hours");
    assert_eq!(kpi(&r, "Gasport", "lng", "stockout_h"), 121.0);
    assert_eq!(kpi(&r, "Gasport", "lng", "send_out_short_t"), 121_000.0);
    assert_eq!(
        kpi(&r, "Gasport", "lng", "send_out_short_share"),
        121.0 / 720.0
    );
    assert_eq!(
        kpi(&r, "Gasport", "lng", "pipeline_t"),
        720_000.0 - 121_000.0
    );
}

#[test]
fn a_tank_too_full_for_the_ship_holds_it_at_the_berth() {
    // A tenth of the send-out (100 t/h). Reorder at 90,000 t with 50,000 t parcels and a 2 h
    // lead: the ship arrives at 2 h to a tank of 89,800 t; its first 20,000 t step cannot go
    // in until the send-out has made room (a step needs stock + step ≤ 100,000 t), ≈ 98 h
    // later — far past the yard's 24 h overflow limit, which a tank does not have.
    let (t, r) = arrivals(
        &tank(90000.0, 90000.0, 2.0)
            .replace("volume_t_per_yr = 8760000", "volume_t_per_yr = 876000"),
    );
    assert_eq!(t[0], 2.0);
    assert!(kpi(&r, "Gasport", "lng", "blocked_h_mean") > 0.0);
    // However long it waits, the tank never takes more than it holds.
    assert_eq!(kpi(&r, "Gasport/LNG", "ALL", "yard_overflow_calls"), 0.0);
    assert!(kpi(&r, "Gasport/LNG", "ALL", "yard_occupancy_mean") <= 1.0);
    assert_eq!(kpi(&r, "Gasport", "lng", "stockout_h"), 0.0);
}

#[test]
fn bad_tanks_are_refused() {
    check_rejects(
        &tank(120000.0, 60000.0, 20.0),
        "reorder level 120000 t is above the tank's capacity of 100000 t",
    );
    check_rejects(
        &tank(30000.0, 150000.0, 20.0),
        "initial stock 150000 t is above the tank's capacity",
    );
    check_rejects(
        &tank(30000.0, 60000.0, 20.0).replace("rate_t_per_h = 10000", "rate_t_per_h = 900"),
        "the tank must run dry: it sends out 1000 t/h on average, more than its ships can bring",
    );
    check_rejects(
        &tank(30000.0, 60000.0, 20.0).replace("arrivals = \"stock\"\n", ""),
        "`stock` belongs to `arrivals = \"stock\"`",
    );
    check_rejects(
        &tank(30000.0, 60000.0, 20.0).replace("yard_capacity_t = 100000\n", ""),
        "the tank is terminal `LNG`'s yard: give it a `yard_capacity_t`",
    );
    check_rejects(
        &tank(30000.0, 60000.0, 20.0).replace("direction = \"import\"", "direction = \"export\""),
        "a stock-driven flow fills a tank from its ships, so it is an import",
    );
    check_rejects(
        &tank(30000.0, 60000.0, 20.0).replace(
            "modes = { pipeline = 1.0 }",
            "modes = { pipeline = 1.0 }\ndwell_h = { dist = \"fixed\", value = 5 }",
        ),
        "leave out `dwell_h`",
    );
}

#[test]
fn a_liner_flow_has_no_tank() {
    let text = portsim::scenario::builtin::get("liaoning-2020")
        .expect("built-in")
        .toml
        .replacen(
            "service = \"dalian-intra-asia\"\n",
            "service = \"dalian-intra-asia\"\nstock = { reorder_t = 1, lead_h = { dist = \"fixed\", value = 1 } }\n",
            1,
        );
    check_rejects(
        &text,
        "a liner flow follows its service's schedule; `stock` applies to tramp flows",
    );
}

#[test]
fn a_tank_terminal_s_practical_capacity_is_where_its_send_out_falls_short() {
    // Ships are called against the tank's stock, so they hardly wait whatever the demand: the
    // terminal's limit is its send-out. With a pipeline of 1,500 t/h and a flat demand of
    // 1,000 t/h × m, the tank (never dry: a 10 h lead against 30,000 t of cover) misses
    // 1 − 1.5/m of the send-out above m = 1.5, so the planning limit of 1 % missed
    // (`send_out_short_share` ≤ 0.01, the default) is reached at m = 1.5/0.99 = 1.51515.
    // Before tanks had limits in the search, a terminal like this had no criterion at all
    // (or, given a waiting limit, met it at any multiple).
    use portsim::experiment::{Scope, capacity};
    let text = tank(30000.0, 60000.0, 10.0)
        .replace("pipeline_t_per_h = 5000", "pipeline_t_per_h = 1500")
        .replace("measured_days = 30", "measured_days = 365");
    let model = model_from(&text);
    let exact = 1.5 / 0.99;
    for scope in [Scope::Terminal("Gasport/LNG".into()), Scope::Cluster] {
        let options = crate::util::capacity_options(scope.clone(), 2, 1, 10);
        let r = &capacity(&model, &options, &|_| {}).expect("search")[0];
        // Bisection of [1, 2] in 10 steps: within 2^-11 of the exact multiple.
        assert!(
            (r.multiple - exact).abs() <= 1.0 / 2048.0,
            "{scope:?}: {} against {exact}",
            r.multiple
        );
        // Nothing random is left (fixed parcels, lead and rates): the interval is a point.
        assert_eq!((r.multiple_low, r.multiple_high), (r.multiple, r.multiple));
        // The tank's own rows (`Gasport/LNG`): in the cluster, named.
        let at = if matches!(scope, Scope::Cluster) {
            " (Gasport/LNG)"
        } else {
            ""
        };
        assert_eq!(
            r.criterion,
            format!("stockout_h<=24{at} and send_out_short_share<=0.01{at}"),
            "{scope:?}"
        );
        assert_eq!(r.binding, format!("send_out_short_share<=0.01{at}"));
    }
}

#[test]
fn each_tank_terminal_is_held_to_its_own_tank() {
    // Two LNG terminals in one port, each with its own flow of 1,000 t/h × m: A's pipeline
    // sends 1,500 t/h, B's 2,000 t/h. Each misses 1 % of its own send-out at 1.5/0.99 and
    // 2/0.99 (judged on the port's tanks together, both would stop at 1.5/0.98, where the
    // port misses 1 %). The cluster stops where A does, and names A.
    use portsim::experiment::{Scope, capacity};
    let one = tank(30000.0, 60000.0, 10.0).replace("measured_days = 30", "measured_days = 365");
    let terminal_start = one
        .find("    [[ports.areas.terminals]]")
        .expect("a terminal");
    let flow_start = one.find("[[flows]]").expect("a flow");
    let terminal = &one[terminal_start..flow_start];
    let flow = &one[flow_start..];
    let text = format!(
        "{}{}{}{}{}",
        &one[..terminal_start],
        terminal
            .replace("name = \"LNG\"", "name = \"A\"")
            .replace("pipeline_t_per_h = 5000", "pipeline_t_per_h = 1500"),
        terminal
            .replace("name = \"LNG\"", "name = \"B\"")
            .replace("name = \"jetty\"", "name = \"jetty-b\"")
            .replace("pipeline_t_per_h = 5000", "pipeline_t_per_h = 2000"),
        flow.replace("port = \"Gasport\"", "port = \"Gasport\"\nterminal = \"A\""),
        flow.replace("name = \"gas\"", "name = \"gas-b\"")
            .replace("port = \"Gasport\"", "port = \"Gasport\"\nterminal = \"B\""),
    );
    let model = model_from(&text);
    let search = |scope: Scope| {
        let options = crate::util::capacity_options(scope, 2, 1, 10);
        capacity(&model, &options, &|_| {}).expect("search")
    };
    let each = search(Scope::EachTerminal);
    let found: Vec<(&str, f64)> = each
        .iter()
        .map(|r| (r.scope.as_str(), r.multiple))
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    // Bisection: A's bracket [1, 2] and B's [2, 4] in 10 steps.
    for ((scope, m), (want_scope, exact, tol)) in found.iter().zip([
        ("Gasport/A", 1.5 / 0.99, 1.0 / 2048.0),
        ("Gasport/B", 2.0 / 0.99, 2.0 / 2048.0),
    ]) {
        assert_eq!(*scope, want_scope);
        assert!((m - exact).abs() <= tol, "{scope}: {m} against {exact}");
    }
    let cluster = &search(Scope::Cluster)[0];
    assert!((cluster.multiple - 1.5 / 0.99).abs() <= 1.0 / 2048.0);
    assert_eq!(cluster.binding, "send_out_short_share<=0.01 (Gasport/A)");
}

#[test]
fn a_tank_a_project_adds_is_searched_in_the_years_it_is_in_service() {
    // Terminal B and its flow come with a project in 2022: a search of 2022 finds both tank
    // terminals, one of 2020 only A (the conditions are the design year's scenario's).
    use portsim::experiment::{CapacityOptions, Scope, capacity};
    let base = tank(30000.0, 60000.0, 10.0)
        .replace("measured_days = 30", "measured_days = 365")
        .replace("pipeline_t_per_h = 5000", "pipeline_t_per_h = 1500")
        .replace(
            "name = \"tank\"",
            "name = \"tank\"\nprojects = [\"terminal-b\"]",
        )
        .replace(
            "direction = \"import\"",
            "direction = \"import\"\nterminal = \"LNG\"",
        );
    let text = format!(
        r#"{base}
[[project]]
name = "terminal-b"
in_service_year = 2022
  [[project.add]]
  path = "ports[name=Gasport].areas[name=open-water].terminals"
  value = {{ name = "B", cargo = ["lng"], yard_capacity_t = 100000, pipeline_t_per_h = 2000, berths = [{{ name = "jetty-b", rate_t_per_h = 10000, mooring_h = 0 }}] }}
  [[project.add]]
  path = "flows"
  value = {{ name = "gas-b", cargo = "lng", direction = "import", port = "Gasport", terminal = "B", volume_t_per_yr = 8760000, ships = [{{ class = "lng-carrier" }}], region = "Grid", modes = {{ pipeline = 1.0 }}, arrivals = "stock", stock = {{ reorder_t = 30000, initial_t = 60000, lead_h = {{ dist = "fixed", value = 10 }} }} }}
"#
    );
    let model = model_from(&text);
    for (year, scopes) in [
        (2020, vec!["Gasport/LNG"]),
        (2022, vec!["Gasport/LNG", "Gasport/B"]),
    ] {
        let options = CapacityOptions {
            year,
            ..crate::util::capacity_options(Scope::EachTerminal, 2, 1, 4)
        };
        let found = capacity(&model, &options, &|_| {}).expect("search");
        let names: Vec<&str> = found.iter().map(|r| r.scope.as_str()).collect();
        assert_eq!(names, scopes, "{year}");
        // B's own limit (2/0.99) in 2022, within the 4 steps' bracket of [2, 4].
        if let Some(b) = found.iter().find(|r| r.scope == "Gasport/B") {
            assert!(
                (b.multiple - 2.0 / 0.99).abs() <= 2.0 / 32.0,
                "{}",
                b.multiple
            );
        }
    }
}
