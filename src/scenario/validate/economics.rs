//! `[economics]`: what ship time, cargo time and CO₂ are worth, for the value of projects; and
//! each ship class's time cost.

use super::checker::{Checker, num, span};
use super::limits;
use crate::model::{Economics, Model};
use crate::scenario::raw::RawScenario;

/// Reads `[economics]` into the model and sets every ship class's time cost.
pub(super) fn economics(c: &mut Checker, raw: &RawScenario, model: &mut Model) {
    let mut per_kdwt = 0.0;
    if let Some(e) = &raw.economics {
        let e = e.get_ref();
        let rate = *e.discount_rate.get_ref();
        if !(rate > -1.0 && rate <= 1.0) {
            c.err(
                span(&e.discount_rate),
                "economics.discount_rate",
                format!(
                    "expected a discount rate above −100 % and at most 100 % a year (0.06 = 6 %), found {}",
                    num(rate)
                ),
            );
        }
        let opt = |c: &mut Checker, v: &Option<crate::scenario::raw::SNum>, key: &str, what| {
            c.opt_number(v, &format!("economics.{key}"), what, limits::MONEY, 0.0)
        };
        per_kdwt = opt(
            c,
            &e.ship_cost_cny_per_kdwt_h,
            "ship_cost_cny_per_kdwt_h",
            "a ship time cost per 1,000 t of deadweight an hour",
        );
        model.economics = Some(Economics {
            discount_rate: rate,
            cargo_value_per_t_h: opt(
                c,
                &e.cargo_value_cny_per_t_h,
                "cargo_value_cny_per_t_h",
                "a value of cargo time per tonne-hour",
            ),
            co2_per_t: opt(
                c,
                &e.co2_cny_per_t,
                "co2_cny_per_t",
                "a CO₂ price per tonne",
            ),
            unserved_send_out_per_t: opt(
                c,
                &e.unserved_send_out_cny_per_t,
                "unserved_send_out_cny_per_t",
                "a cost per tonne of send-out not made",
            ),
        });
    }
    for class in &mut model.ship_classes {
        class.time_cost_per_h = if class.cost_per_h > 0.0 {
            class.cost_per_h
        } else if class.dwt_t.is_finite() {
            per_kdwt * class.dwt_t / 1000.0
        } else {
            0.0
        };
    }
}
