//! How a terminal gives an arriving ship a free berth: the smallest sufficient (the default),
//! or spread over its quay sections (`berth_allocation = "spread"`, a container port with
//! several operators).

use portsim::sim::{SimOptions, simulate};

use crate::util::{model_from, test_seed};

/// A quay section of identical berths: 50,000-t coal berths at 1,500 t/h with no variation
/// from call to call, so a call's service does not depend on the berth it gets.
fn section(name: &str, count: u32) -> String {
    format!(
        r#"
      [[ports.areas.terminals.berths]]
      name = "{name}"
      count = {count}
      max_dwt_t = 50000
      length_m = 200
      depth_m = 12.5
      rate_t_per_h = 1500
      mooring_h = 2.0
"#
    )
}

/// A coal terminal named `name` with the given allocation, pool (or none) and sections.
fn terminal(name: &str, allocation: &str, pool: Option<&str>, sections: &[(&str, u32)]) -> String {
    let pool = pool.map_or(String::new(), |p| format!("pool = \"{p}\"\n"));
    let berths: String = sections.iter().map(|&(n, c)| section(n, c)).collect();
    format!(
        r#"
    [[ports.areas.terminals]]
    name = "{name}"
    cargo = ["coal"]
    berth_allocation = "{allocation}"
    {pool}{berths}"#
    )
}

/// One port, `terminals`, identical ships (≈ 830 calls a year of 22 h on average, for
/// `terminal`), under `policy`; `extra` is appended (disruptions).
fn port(policy: &str, terminals: &str, terminal: &str, extra: &str) -> String {
    format!(
        r#"
name = "sections"
policy = "{policy}"

[run]
replications = 1
warmup_days = 10

[[ship_classes]]
name = "handy"
cargo = "coal"
dwt_t = 40000
length_m = 180
draft_m = 11.0
parcel_t = {{ dist = "uniform", min = 20000, max = 40000 }}

[[ports]]
name = "Harbour"

  [[ports.areas]]
  name = "Main"
{terminals}
[[flows]]
name = "coal-in"
cargo = "coal"
direction = "import"
port = "Harbour"
terminal = "{terminal}"
volume_t_per_yr = 25000000
ships = [{{ class = "handy" }}]
{extra}"#
    )
}

/// Each measured call's berth (its name's section part: "east" of "Harbour/A/east-2"),
/// arrival hour and wait.
fn calls(text: &str, seed: u64) -> Vec<(String, f64, f64)> {
    let model = model_from(text);
    let opts = SimOptions {
        record_calls: true,
        ..SimOptions::default()
    };
    let run = simulate(&model, model.settings.base_year, 0, seed, &opts).expect("run");
    run.calls
        .iter()
        .filter(|c| c.measured)
        .map(|c| {
            let name = &model.berths[c.berth.index()].name;
            let leaf = name.rsplit('/').next().unwrap_or(name);
            let section = leaf.split('-').next().unwrap_or(leaf).to_string();
            (section, c.arrival_h, c.waits_h.iter().sum())
        })
        .collect()
}

/// The share of `calls` at `section` among those at any of `among`.
fn share(calls: &[(String, f64, f64)], section: &str, among: &[&str]) -> f64 {
    let n = |s: &str| calls.iter().filter(|c| c.0 == s).count() as f64;
    n(section) / among.iter().map(|s| n(s)).sum::<f64>()
}

/// Two sections of two berths, "east" and "west", at one terminal.
fn two_sections(allocation: &str) -> String {
    port(
        "independent",
        &terminal("A", allocation, None, &[("east", 2), ("west", 2)]),
        "A",
        "",
    )
}

#[test]
fn spreading_calls_balances_the_sections_and_changes_no_ships_wait() {
    let seed = test_seed(11);
    let smallest = calls(&two_sections("smallest_sufficient"), seed);
    let spread = calls(&two_sections("spread"), seed);
    let both = ["east", "west"];
    // ≈ 830 calls a year. The smallest-sufficient rule (ties to the earlier berth) fills
    // "east" first: "west" gets what arrives while both east berths are busy. Over seeds 1–25
    // east took 0.61–0.66 (sd ≈ 0.012): 0.56 is four standard deviations below the lowest.
    let east = share(&smallest, "east", &both);
    assert!(east > 0.56, "smallest sufficient: east took {east:.3}");
    // Spread: a ship goes to the section with fewer berths busy and, between equals, to the
    // one given fewer calls, so the two take turns (seeds 1–25: within 0.0013 of a half; the
    // bound allows eight calls).
    let east = share(&spread, "east", &both);
    assert!((east - 0.5).abs() < 0.01, "spread: east took {east:.3}");
    // The berths are identical and both rules give an arriving ship a free berth whenever one
    // is free, so the queue is the same one, ship for ship: every wait is equal.
    assert_eq!(smallest.len(), spread.len());
    for (a, b) in smallest.iter().zip(&spread) {
        assert!(
            (a.2 - b.2).abs() < 1e-9,
            "a wait changed: {} h against {} h",
            a.2,
            b.2
        );
    }
    assert!(
        spread.iter().any(|c| c.2 > 0.0),
        "some ships must queue, or the equality says nothing"
    );
}

#[test]
fn a_section_is_judged_by_the_share_of_its_berths_busy_not_their_number() {
    // One berth ("solo") beside a section of three ("trio"), at a low load (≈ 270 calls a
    // year) so that both are often idle. By the share of berths busy the free solo berth beats
    // the trio whenever one of the trio's is busy, and between two idle sections the one given
    // fewer calls *a berth* wins: the solo berth takes ≈ 0.30 of the calls (seeds 1–25:
    // 0.269–0.318). Counting busy berths and calls without dividing by the section's size
    // gives the solo berth every tie against the trio's three times as many calls: 0.50 — a
    // wrong rule this test catches.
    let text = port(
        "independent",
        &terminal("A", "spread", None, &[("solo", 1), ("trio", 3)]),
        "A",
        "",
    )
    .replace("volume_t_per_yr = 25000000", "volume_t_per_yr = 8000000");
    let solo = share(&calls(&text, test_seed(11)), "solo", &["solo", "trio"]);
    assert!(
        (0.22..=0.38).contains(&solo),
        "the single berth took {solo:.3} of the calls"
    );
}

#[test]
fn a_spreading_terminal_spreads_within_a_pool_with_one_that_does_not() {
    // Under the integrated policy terminal A (spread, east and west) shares its berths with
    // B (smallest sufficient). A call tied to A takes the smallest sufficient free berth of
    // the pool — A's come first — and, A spreading, the free berth of A's least occupied
    // section: east and west take turns, and B's berths take what A cannot.
    let terminals = terminal("A", "spread", Some("quay"), &[("east", 2), ("west", 2)])
        + &terminal("B", "smallest_sufficient", Some("quay"), &[("bb", 2)]);
    let all = calls(&port("integrated", &terminals, "A", ""), test_seed(11));
    let east = share(&all, "east", &["east", "west"]);
    assert!(
        (east - 0.5).abs() < 0.01,
        "east took {east:.3} of A's calls"
    );
    let at_b = share(&all, "bb", &["east", "west", "bb"]);
    assert!(
        at_b > 0.0 && at_b < 0.2,
        "B's berths took {at_b:.3} of the calls: only the overflow"
    );
}

#[test]
fn a_section_back_from_an_outage_rejoins_level_with_the_others() {
    // West is out of service for the first 120 days, so east takes every call then. Back in
    // service it takes its turn with east (seeds 1–25: 0.499–0.501 of the rest of the year's
    // calls) — not every tie until it has made up the calls it missed (0.55: a rule this test
    // catches).
    let outage = r#"
[[disruptions]]
name = "west rebuilt"
kind = "berth_outage"
port = "Harbour"
terminal = "A"
berth = "west"
start_day = 1
duration_h = 2880
source = "test"
"#;
    let text = port(
        "independent",
        &terminal("A", "spread", None, &[("east", 2), ("west", 2)]),
        "A",
        outage,
    );
    let all = calls(&text, test_seed(11));
    // Hours of the run: the warm-up's 10 days come first. A ship is given its berth when its
    // wait ends (arrival + wait); one given it just before the outage may be there across it.
    let (down, back) = (10.0 * 24.0, 10.0 * 24.0 + 2880.0);
    let during: Vec<_> = all
        .iter()
        .filter(|c| c.1 > down + 48.0 && c.1 + c.2 < back)
        .cloned()
        .collect();
    let after: Vec<_> = all.iter().filter(|c| c.1 + c.2 >= back).cloned().collect();
    assert!(
        during.len() > 200,
        "{} calls during the outage",
        during.len()
    );
    assert!(
        share(&during, "west", &["east", "west"]) == 0.0,
        "west took calls while out of service"
    );
    let west = share(&after, "west", &["east", "west"]);
    assert!(after.len() > 400, "{} calls after the outage", after.len());
    assert!(
        (west - 0.5).abs() < 0.03,
        "back in service, west took {west:.3} of the calls"
    );
}

/// The baseline's text with Dalian's mainline service given `extra` lines.
fn mainline_with(extra: &str) -> String {
    let (_, src) = portsim::scenario::load("liaoning-2020").expect("built-in");
    let at = "name = \"dalian-mainline\"";
    let i = src.text.find(at).expect("the mainline service");
    let j = i + src.text[i..].find("\nterminal = ").expect("its terminal");
    let end = j + 1 + src.text[j + 1..].find('\n').expect("a line");
    format!("{}\n{extra}{}", &src.text[..end], &src.text[end..])
}

#[test]
fn a_service_contracted_to_one_operator_keeps_to_its_berths() {
    // Dalian's mainline service given to DICT: every mainline call is worked there, and the
    // other services still spread over all three terminals.
    let model = model_from(&mainline_with("section = \"DICT\"\n"));
    let opts = SimOptions {
        record_calls: true,
        ..SimOptions::default()
    };
    let run = simulate(&model, 2020, 0, test_seed(model.settings.seed), &opts).expect("run");
    let (mut mainline, mut others_at_dict, mut others) = (0, 0, 0);
    for c in run.calls.iter().filter(|c| c.measured) {
        let berth = &model.berths[c.berth.index()];
        if !berth.name.starts_with("Dalian/Dayaowan containers/") {
            continue;
        }
        let at_dict = berth.name.contains("/DICT-");
        if model.ship_classes[c.class.index()].name == "box-10000" {
            assert!(at_dict, "a mainline call at {}", berth.name);
            mainline += 1;
        } else {
            others += 1;
            others_at_dict += usize::from(at_dict);
        }
    }
    assert!(mainline > 300, "{mainline} mainline calls");
    assert!(
        others_at_dict > others / 10,
        "{others_at_dict} of {others} other calls at DICT"
    );
}

#[test]
fn a_service_section_must_be_its_terminals_and_fit_its_ships() {
    use crate::util::check_rejects;
    check_rejects(
        &mainline_with("section = \"DIC\"\n"),
        "services[0].section: unknown berths `DIC` at terminal `Dayaowan containers`; did you mean `DICT`?",
    );
    check_rejects(
        &mainline_with("section = \"DCT\"\n"),
        "services[0].section: ship class `box-10000` fits no berth of `DCT`",
    );
    check_rejects(
        &mainline_with("section = \"DICT\"\n").replace(
            "name = \"dalian-mainline\"              # Europe / Americas mainline calls\nport = \"Dalian\"\nterminal = \"Dayaowan containers\"\n",
            "name = \"dalian-mainline\"\nport = \"Dalian\"\n",
        ),
        "services[0].section: a `section` is a berths entry of the service's `terminal`, which it does not name",
    );
}
