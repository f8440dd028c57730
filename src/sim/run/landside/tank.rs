//! Stock-driven arrivals: a tank (a flow's yard terminal) sends out its flow's volume hour by
//! hour and orders the next ship when stock plus cargo on order falls to the reorder level.
//!
//! Modelling choices:
//! - the send-out is the flow's volume of the design year spread over the hours by its
//!   seasonal factor, taken at the start of each hour, and never faster than the terminal's
//!   pipeline; what the tank cannot send (empty, or the pipeline full) is lost demand, counted
//!   in `send_out_short_t`, and the hours it is empty are `stockout_h` (a part of an hour by the
//!   share of that hour's send-out that was missed);
//! - an order is one ship of the flow's class, its parcel drawn when ordered; it arrives a
//!   draw of `lead_h` later and queues for the berth like any call; a tank too full to take a
//!   discharge step holds the ship at the berth (the yard's rule);
//! - cargo on order counts towards the stock position until it is in the tank;
//! - a level in days of cover is at what the pipeline can send, and never above the tank's
//!   capacity less one parcel (a design year whose demand needs more cover than the tank holds
//!   keeps what it can — and may run dry, `stockout_h`); a level in tonnes is as given;
//! - a tank never overflows (the yard's overflow rule does not apply): a ship waits at the
//!   berth for room.

use super::*;
use crate::model::{Arrivals, Dist, Reorder, Timing};
use crate::sim::calendar::{month_of, normalised};
use crate::sim::run::{GenKind, GenTiming, P_ARRIVAL};
use crate::sim::stats::TankStats;

/// One stock-driven flow's tank and its ordering state.
pub(crate) struct Tank {
    /// Its call generator (which makes up the ships it orders).
    generator: usize,
    terminal: usize,
    cargo: CargoClass,
    slot: usize,
    /// Mean send-out in the design year, t/h.
    rate_t_per_h: f64,
    /// Monthly send-out factors, day-weighted mean 1.
    season: [f64; 12],
    /// The most the pipeline sends out in an hour.
    pipe_t_per_h: f64,
    reorder: Reorder,
    /// The highest reorder level the tank can keep: its capacity less one mean parcel.
    max_level_t: f64,
    lead_h: Dist,
    lead_rng: StreamRng,
    /// Cargo ordered and not yet in the tank.
    on_order: u64,
    /// Send-out owed but not yet taken (below one tonne), so hours add up exactly.
    carry: f64,
}

impl Sim<'_> {
    /// Builds the tanks of the stock-driven flows, fills them to their initial stock and
    /// starts their hourly send-out. `growth` is each flow's volume factor in the design year.
    pub(in crate::sim::run) fn start_tanks(&mut self, growth: &[f64], seed: u64) {
        let model = self.model;
        for g in 0..self.gens.len() {
            let GenKind::Tramp {
                flow,
                timing: GenTiming::Stock,
                ..
            } = self.gens[g].kind
            else {
                continue;
            };
            let f = &model.flows[flow.index()];
            let Arrivals::Tramp {
                seasonality,
                timing: Timing::Stock(rule),
                ..
            } = &f.arrivals
            else {
                unreachable!("a stock generator's flow is stock-driven");
            };
            let h = f
                .hinterland
                .as_ref()
                .expect("validated: a tank flow has one");
            let terminal = h.terminal.index();
            let slot = slot_of(f.port.index(), f.cargo);
            let k = self.land.tanks.len();
            self.land.tanks.push(Tank {
                generator: g,
                terminal,
                cargo: f.cargo,
                slot,
                rate_t_per_h: f.volume_per_yr * growth[flow.index()] / 8760.0,
                season: normalised(seasonality),
                pipe_t_per_h: model.terminals[terminal]
                    .pipeline_t_per_h
                    .unwrap_or(f64::INFINITY),
                reorder: rule.reorder,
                max_level_t: (model.terminals[terminal].yard.capacity(f.cargo)
                    - model.ship_classes[self.gens[g].class.index()].parcel.mean())
                .max(0.0),
                lead_h: rule.lead_h.clone(),
                lead_rng: stream(seed, &format!("lead/{}", f.name)),
                on_order: 0,
                carry: 0.0,
            });
            self.land.tank_of[flow.index()] = Some(k as u32);
            self.land.tank_terminal[terminal] = true;
            self.stats.tanks.push(TankStats {
                port: f.port.index(),
                terminal,
                cargo: Some(f.cargo),
                ..TankStats::default()
            });
            let initial = rule.initial_t.round() as u64;
            self.yard_in(terminal, f.cargo, initial);
            self.stats.stock_at_start(slot, initial);
            self.order_if_low(k);
            self.land_at(0, LandEvent::SendOut(k as u32));
        }
    }

    /// The start of an hour at tank `k`: send out that hour's due, then order if low.
    pub(in crate::sim::run) fn send_out(&mut self, k: usize) {
        let now = self.now();
        let hour_h = now as f64 / TICKS_PER_HOUR as f64;
        let due = self.send_out_due(k, hour_h);
        let tank = &mut self.land.tanks[k];
        let (terminal, cargo, slot) = (tank.terminal, tank.cargo, tank.slot);
        let stock = self.land.yards[terminal].by_cargo[cargo.index()];
        let can = due.min(tank.pipe_t_per_h);
        tank.carry += can;
        let take = (tank.carry.floor() as u64).min(stock);
        let missed = if take < tank.carry.floor() as u64 {
            // Empty: what could not be sent is lost, not owed.
            let missed = tank.carry - take as f64;
            tank.carry = 0.0;
            missed
        } else {
            tank.carry -= take as f64;
            0.0
        };
        if self.stats.window.contains(SimTime(now)) {
            let st = &mut self.stats.tanks[k];
            st.short_t += due - can + missed;
            st.due_t += due;
            if can > 0.0 {
                st.stockout_h += (missed / can).min(1.0);
            }
            if take > 0 {
                self.stats.slots[slot].by_mode[Mode::Pipeline as usize] += take;
            }
        }
        if take > 0 {
            self.yard_out(terminal, cargo, take);
            self.stats.cargo_departs(slot, take, now);
        }
        self.order_if_low(k);
        if take > 0 {
            self.yard_freed(terminal);
        }
        self.land_at(
            now + SimDuration::from_hours(1.0).0,
            LandEvent::SendOut(k as u32),
        );
    }

    /// Tank `k`'s send-out due in the hour starting `hour_h` hours into the run, tonnes.
    fn send_out_due(&self, k: usize, hour_h: f64) -> f64 {
        let tank = &self.land.tanks[k];
        tank.rate_t_per_h * tank.season[month_of(hour_h - self.warmup_h)]
    }

    /// Orders ships for tank `k` while its stock position (stock + on order) is at or below
    /// the reorder level (in days of cover: at the send-out of the moment).
    fn order_if_low(&mut self, k: usize) {
        let now = self.now();
        let due = self.send_out_due(k, now as f64 / TICKS_PER_HOUR as f64);
        loop {
            let tank = &self.land.tanks[k];
            let stock = self.land.yards[tank.terminal].by_cargo[tank.cargo.index()];
            // Days of cover at what the pipeline can send, never more than the tank can keep
            // with a parcel on its way; a level in tonnes as given.
            let level = match tank.reorder {
                Reorder::Tonnes(t) => t,
                Reorder::Days(_) => tank
                    .reorder
                    .level_t(due.min(tank.pipe_t_per_h))
                    .min(tank.max_level_t),
            };
            if (stock + tank.on_order) as f64 > level {
                return;
            }
            let g = tank.generator;
            let tank = &mut self.land.tanks[k];
            let lead = SimDuration::from_hours(tank.lead_h.sample(&mut tank.lead_rng).max(0.0));
            let arrival = now + lead.0;
            let (ship, amount) = self.tramp_call(g, arrival);
            self.land.tanks[k].on_order += amount;
            if arrival == now {
                self.arrive(ship);
            } else {
                self.sched.schedule_in(lead, P_ARRIVAL, Event::Arrive(ship));
            }
        }
    }

    /// A discharge step of `amount` for `flow` reached its tank: no longer on order.
    pub(in crate::sim::run) fn tank_receives(&mut self, flow: FlowId, amount: u64) -> bool {
        let Some(k) = self.land.tank_of[flow.index()] else {
            return false;
        };
        let tank = &mut self.land.tanks[k as usize];
        tank.on_order = tank.on_order.saturating_sub(amount);
        true
    }
}
