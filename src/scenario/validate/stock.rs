//! When a tramp flow's calls come (`arrivals`): Poisson, an annual delivery programme, or
//! ordered against a tank's stock — and, for stock-driven flows, the tank they are ordered for.

use super::checker::{Checker, num, span, suggest};
use super::limits;
use crate::model::{Arrivals, Direction, Dist, Model, Reorder, StockRule, Timing};
use crate::scenario::raw::{RawFlow, RawScenario};

/// A tramp flow's timing, from `arrivals`, `jitter_h` and `stock`.
pub(super) fn timing(c: &mut Checker, rf: &RawFlow, fpath: &str) -> Timing {
    let kind = rf
        .arrivals
        .as_ref()
        .map_or("poisson", |a| a.get_ref().as_str());
    if let (Some(j), false) = (&rf.jitter_h, kind == "programme") {
        c.err(
            span(j),
            format!("{fpath}.jitter_h"),
            "`jitter_h` belongs to `arrivals = \"programme\"`",
        );
    }
    if let (Some(s), false) = (&rf.stock, kind == "stock") {
        c.err(
            span(s),
            format!("{fpath}.stock"),
            "`stock` belongs to `arrivals = \"stock\"`",
        );
    }
    match kind {
        "poisson" => Timing::Poisson,
        "programme" => Timing::Programme {
            jitter_h: match &rf.jitter_h {
                Some(j) => c
                    .dist(j, &format!("{fpath}.jitter_h"), limits::DURATION_H)
                    .unwrap_or(Dist::Fixed(0.0)),
                None => Dist::Fixed(0.0),
            },
        },
        "stock" => {
            let Some(s) = &rf.stock else {
                c.err(
                    rf.arrivals.as_ref().map_or(0..0, span),
                    format!("{fpath}.arrivals"),
                    "stock-driven arrivals need their ordering rule: `stock = { reorder_t = …, lead_h = { … } }`",
                );
                return Timing::Poisson;
            };
            let s = s.get_ref();
            let spath = format!("{fpath}.stock");
            let reorder = match (&s.reorder_t, &s.reorder_days) {
                (Some(t), None) => Reorder::Tonnes(c.number(
                    t,
                    &format!("{spath}.reorder_t"),
                    "a reorder level in tonnes",
                    limits::YARD_T.with_zero(),
                )),
                (None, Some(d)) => Reorder::Days(c.number(
                    d,
                    &format!("{spath}.reorder_days"),
                    "a reorder level in days of send-out",
                    limits::COVER_DAYS,
                )),
                _ => {
                    c.err(
                        span(rf.stock.as_ref().expect("matched")),
                        spath.clone(),
                        "give the reorder level once: `reorder_t` (tonnes) or `reorder_days` (days of send-out)",
                    );
                    Reorder::Tonnes(0.0)
                }
            };
            let initial_t = s.initial_t.as_ref().map_or(f64::NAN, |v| {
                c.number(
                    v,
                    &format!("{spath}.initial_t"),
                    "an initial stock in tonnes",
                    limits::YARD_T.with_zero(),
                )
            });
            let lead_h = c
                .dist(&s.lead_h, &format!("{spath}.lead_h"), limits::DURATION_H)
                .unwrap_or(Dist::Fixed(0.0));
            Timing::Stock(StockRule {
                reorder,
                initial_t,
                lead_h,
            })
        }
        other => {
            let hint = suggest(other, ["poisson", "programme", "stock"]);
            c.err(
                rf.arrivals.as_ref().map_or(0..0, span),
                format!("{fpath}.arrivals"),
                format!("unknown arrival process `{other}`{hint}"),
            );
            Timing::Poisson
        }
    }
}

/// Checks every stock-driven flow against its tank, once all flows are read, and fills in the
/// default initial stock (the reorder level plus one mean parcel, within the tank).
pub(super) fn check_tanks(c: &mut Checker, raw: &RawScenario, model: &mut Model) {
    for (fi, rf) in raw.flows.iter().enumerate() {
        let Some(stock) = &rf.stock else { continue };
        let fpath = format!("flows[{fi}]");
        let at = span(stock);
        let Some(flow) = model.flows.get(fi) else {
            continue;
        };
        let Arrivals::Tramp {
            ships,
            fleet,
            timing: Timing::Stock(rule),
            ..
        } = &flow.arrivals
        else {
            continue; // a liner flow, or `arrivals` is not "stock": said already
        };
        let mut refuse = |message: String| c.err(at.clone(), fpath.clone(), message);
        if flow.direction != Direction::Import {
            refuse(format!(
                "a stock-driven flow fills a tank from its ships, so it is an import; `{}` is an {}",
                flow.name,
                flow.direction.name()
            ));
            continue;
        }
        if ships.len() != 1 || !fleet.is_empty() {
            refuse(format!(
                "a stock-driven flow orders one ship class (one parcel per order); found {}",
                ships.len()
            ));
            continue;
        }
        if !flow.alternatives.is_empty() {
            refuse(
                "a stock-driven flow's ships go to its own tank; leave out `alternative_ports`"
                    .into(),
            );
            continue;
        }
        let Some(h) = &flow.hinterland else {
            refuse("a stock-driven flow needs its tank: give it a `region`, `modes = { pipeline = 1.0 }` and, where its port has several terminals for the cargo, a `yard_terminal`".into());
            continue;
        };
        if h.modes.pipeline < 1.0 || h.choice.is_some() {
            refuse(
                "a stock-driven tank sends out by pipeline: `modes = { pipeline = 1.0 }`".into(),
            );
            continue;
        }
        let t = h.terminal;
        let term = &model.terminals[t.index()];
        let capacity = term.yard.capacity(flow.cargo);
        if !capacity.is_finite() {
            refuse(format!(
                "the tank is terminal `{}`'s yard: give it a `yard_capacity_t`",
                term.name
            ));
            continue;
        }
        let class = &model.ship_classes[ships[0].0.index()];
        let parcel = class.parcel.mean();
        // The highest level the rule asks for in the base year: at the month of peak send-out.
        let peak = seasonal_peak(&flow.arrivals) * flow.volume_per_yr / 8760.0;
        let (reorder, initial) = (rule.reorder.level_t(peak), rule.initial_t);
        if reorder > capacity {
            let days = match rule.reorder {
                Reorder::Days(d) => format!(" ({d} days at the peak send-out of {peak:.0} t/h)"),
                Reorder::Tonnes(_) => String::new(),
            };
            refuse(format!(
                "reorder level {} t{days} is above the tank's capacity of {} t (terminal `{}`)",
                num(reorder.round()),
                num(capacity),
                term.name
            ));
        }
        if initial > capacity {
            refuse(format!(
                "initial stock {} t is above the tank's capacity of {} t (terminal `{}`)",
                num(initial),
                num(capacity),
                term.name
            ));
        }
        // What the ships can bring at most: every berth that takes them working back to back.
        let berths = model.compatible_berths(flow.port, flow.terminal, class, flow.cargo);
        let supply_t_per_h: f64 = berths
            .iter()
            .map(|b| {
                let b = &model.berths[b.index()];
                parcel / (b.mooring_h + parcel / b.rate_for(class, flow.cargo))
            })
            .sum();
        let send_out = flow.volume_per_yr / 8760.0;
        if send_out > supply_t_per_h {
            refuse(format!(
                "the tank must run dry: it sends out {send_out:.0} t/h on average, more than its ships can bring through the {} berth(s) that take them ({supply_t_per_h:.0} t/h working back to back)",
                berths.len()
            ));
        }
        if let Some(other) = model.flows.iter().enumerate().find(|(k, f)| {
            *k != fi
                && f.yard_terminal() == Some(t)
                && f.cargo.is_container() == flow.cargo.is_container()
        }) {
            refuse(format!(
                "the tank (terminal `{}`'s yard) is shared with flow `{}`; a stock-driven flow needs a tank of its own",
                term.name, other.1.name
            ));
        }
        if initial.is_nan() {
            let default = (reorder + parcel).min(capacity);
            if let Arrivals::Tramp {
                timing: Timing::Stock(rule),
                ..
            } = &mut model.flows[fi].arrivals
            {
                rule.initial_t = default;
            }
        }
    }
}

/// The highest monthly send-out factor of a tramp flow, its factors scaled to a day-weighted
/// mean of 1.
fn seasonal_peak(arrivals: &Arrivals) -> f64 {
    let Arrivals::Tramp { seasonality, .. } = arrivals else {
        return 1.0;
    };
    crate::sim::calendar::normalised(seasonality)
        .iter()
        .copied()
        .fold(0.0, f64::max)
}
