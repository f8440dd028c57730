//! Per-call totals timed by hand: turnaround (arrival to departure, transits included) and the
//! cargo left unserved at the end of the run.

use crate::util::kpi;
use crate::waiting_causes::{berth_case, close, run_case, scenario, ship, tide_case};

#[test]
fn turnaround_runs_from_arrival_to_the_end_of_the_outbound_transit() {
    // See `berth_case`: A 2 h → out of the channel at 9 h (7 h); B 3 h → berth at 8, service
    // 9–14, out 14–15 (12 h); C 30 → 37 h (7 h).
    let r = run_case(&berth_case(), 1);
    for port in ["P", "ALL"] {
        let t = kpi(&r, port, "container", "turnaround_h_mean");
        assert!(close(t, 26.0 / 3.0), "{port}: turnaround {t}");
        assert!(close(kpi(&r, port, "container", "service_h_mean"), 5.0));
    }
    assert!(close(kpi(&r, "P", "ALL", "turnaround_h_mean"), 26.0 / 3.0));
}

#[test]
fn turnaround_includes_the_wait_at_berth_for_the_outbound_tide() {
    // See `tide_case`. Outbound, a deep ship needs the tide again and waits at its berth (time
    // at berth, not waiting); a transit may start in [−3.105, 2.105] + 12.42 n h.
    // - deep at 1.0: in 1–2, work 2–7, waits to 9.315, out to 10.315: turnaround 9.315, at
    //   berth 7.315;
    // - deep at 2.5 and at 4.0: in 9.315–10.315, work to 15.315, the next window opens at
    //   24.84 − 3.105 = 21.735, out to 22.735: turnarounds 20.235 and 18.735, at berth 11.42;
    // - small at 2.5: in 2.5–3.5, work to 8.5, out to 9.5: 7.0, at berth 5.
    let r = run_case(&tide_case(), 1);
    let turnaround = (9.315 + 20.235 + 18.735 + 7.0) / 4.0;
    let service = (7.315 + 11.42 + 11.42 + 5.0) / 4.0;
    let t = kpi(&r, "P", "container", "turnaround_h_mean");
    assert!(
        close(t, turnaround),
        "turnaround {t}, expected {turnaround}"
    );
    let s = kpi(&r, "P", "container", "service_h_mean");
    assert!(close(s, service), "at berth {s}, expected {service}");
    // Waiting + transit in + at berth + transit out.
    let w = kpi(&r, "P", "container", "wait_h_mean");
    assert!(close(t, w + 1.0 + s + 1.0));
}

/// A one-day run, one berth in open water, 100 TEU/h: 300 TEU arrive at 1 h (done at 4 h);
/// 600 TEU at 20 h, at the berth until 26 h; 400 TEU at 22 h, waiting for the berth.
fn unserved_case() -> String {
    scenario(
        1.0,
        "",
        "",
        1,
        &[
            ship("small", 1.0, 300),
            ship("small", 20.0, 600),
            ship("small", 22.0, 400),
        ],
    )
}

#[test]
fn unserved_cargo_is_what_ships_in_port_still_carry_at_the_end() {
    let r = run_case(&unserved_case(), 1);
    for (port, cargo) in [("P", "container"), ("P", "ALL"), ("ALL", "ALL")] {
        assert_eq!(
            kpi(&r, port, cargo, "unserved_teu"),
            1000.0,
            "{port}/{cargo}"
        );
        // 10 t per TEU by default.
        assert_eq!(
            kpi(&r, port, cargo, "unserved_t"),
            10_000.0,
            "{port}/{cargo}"
        );
        assert_eq!(kpi(&r, port, cargo, "throughput_teu"), 300.0);
        assert_eq!(kpi(&r, port, cargo, "in_port_end_teu"), 1000.0);
    }
    assert_eq!(kpi(&r, "P", "ALL", "ship_calls"), 1.0);
}

/// The 600-TEU call of `unserved_case` now discharges into a yard of 10,000 TEU (steps of
/// 200 TEU: 2 h of work, or 2 % of the yard) from which its cargo leaves by road after 100 h.
/// At the end (24 h) it has landed 200 TEU (20–22 h) and is landing the next 200: 400 TEU are
/// still aboard it, 200 in the yard. The README defines `unserved_teu` as cargo "aboard ships
/// in port, not yet handled": 400 + 400 waiting = 800, not the call's whole 1,000.
#[test]
fn cargo_landed_in_the_yard_is_no_longer_unserved() {
    let text = unserved_case()
        .replace(
            "    cargo = [\"container\"]\n      [[ports",
            "    cargo = [\"container\"]\n    yard_capacity_teu = 10000\n    gate = { trucks_per_h = 100, teu_per_truck = 1 }\n      [[ports",
        )
        .replace(
            "service = \"s1\"\n",
            "service = \"s1\"\nregion = \"Inland\"\nmodes = { road = 1.0 }\ndwell_h = { dist = \"fixed\", value = 100 }\n",
        )
        + "[[regions]]\nname = \"Inland\"\n";
    let r = run_case(&text, 1);
    // The ledger sees 400 + 400 aboard and 200 in the yard.
    assert_eq!(kpi(&r, "P", "container", "in_port_end_teu"), 1000.0);
    assert_eq!(kpi(&r, "P", "container", "unserved_teu"), 800.0);
}
