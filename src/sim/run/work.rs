//! Work at the berth: mooring, then the call's cargo in steps through the yard — discharge
//! until the yard is full (then dual cycling, or a block until space or overflow), loading
//! once the exports are in.

use super::*;

impl<'m> Sim<'m> {
    pub(super) fn on_moored(&mut self, ship: u32) {
        let model = self.model;
        let now = self.now();
        let transit_in = self.berth_refs[self.ships[ship as usize].berth as usize].timed_channel;
        if transit_in {
            self.transit_finished(ship);
        }
        // Its berth went out of service while it came in: another free one of the same area,
        // if there is one.
        let b = self.ships[ship as usize].berth as usize;
        if self.berth_down[b] > 0 {
            self.move_reservation(b, true);
        }
        let g = self.ships[ship as usize].source as usize;
        let berth = self.ships[ship as usize].berth as usize;
        self.ships[ship as usize].berthed_at = now;
        if let Some((d, rng)) = &mut self.gens[g].service_h {
            // Validation models: the service time is given, not derived from the cargo.
            let work = ticks(d.sample(rng));
            let s = &mut self.ships[ship as usize];
            s.moored_done = true;
            s.cursor = s.lots.len();
            self.begin_step(ship, Step::Plain, work);
            return;
        }
        let b = &model.berths[berth];
        let noise = match &mut self.berth_rng[berth] {
            Some((rng, d)) => d.sample(rng).max(0.05),
            None => 1.0,
        };
        let class = &model.ship_classes[self.gens[g].class.index()];
        let rate = b.rate_for(class, self.gens[g].cargo) * noise;
        let s = &mut self.ships[ship as usize];
        s.rate = rate;
        if s.uses_yard {
            // Mooring first; cargo work follows in steps that use the yard.
            s.cursor = 0;
            self.enter_lot(ship);
            self.begin_step(ship, Step::Plain, ticks(b.mooring_h));
        } else {
            // No yard involved: the whole call is one step.
            s.moored_done = true;
            s.cursor = s.lots.len();
            let work = ticks(b.mooring_h + s.total as f64 / rate);
            self.begin_step(ship, Step::Plain, work);
        }
    }

    /// Starts a step of work at the berth, or holds it while a closure stops handling.
    pub(super) fn begin_step(&mut self, ship: u32, step: Step, duration: i64) {
        let berth = self.ships[ship as usize].berth as usize;
        let closed = self.handling_stopped(berth);
        let now = self.now();
        let s = &mut self.ships[ship as usize];
        s.step = step;
        if closed {
            s.paused = true;
            s.work_left = duration;
        } else {
            s.paused = false;
            s.step_end = now + duration;
            let v = s.version;
            self.sched
                .schedule_in(SimDuration(duration), P_SERVICE, Event::StepDone(ship, v));
        }
    }

    /// A step of work is done: apply it and start the next, or head out when all is done.
    pub(super) fn on_step_done(&mut self, ship: u32) {
        let step = self.ships[ship as usize].step;
        self.ships[ship as usize].step = Step::Idle;
        match step {
            Step::Idle => return,
            Step::Plain => self.ships[ship as usize].moored_done = true,
            Step::Discharge { lot, amount } => self.discharged(ship, lot, amount),
            Step::Load { lot, amount } => self.loaded(ship, lot, amount),
        }
        self.next_step(ship);
    }

    /// Picks the ship's next step: the next piece of its current lot, or the next lot.
    pub(super) fn next_step(&mut self, ship: u32) {
        let model = self.model;
        loop {
            let s = &self.ships[ship as usize];
            if s.cursor >= s.lots.len() {
                self.ships[ship as usize].outbound = true;
                self.try_transit(ship, false);
                return;
            }
            if s.lot_left == 0 {
                self.ships[ship as usize].cursor += 1;
                self.enter_lot(ship);
                continue;
            }
            let call_lot = s.lots[s.cursor];
            let flow = &model.flows[call_lot.flow.index()];
            let rate = s.rate;
            let left = s.lot_left;
            let lot = s.cursor;
            match (self.yard_of(ship, call_lot.flow), call_lot.loads) {
                (None, _) => {
                    // No yard: the whole lot in one step.
                    let d = ticks(left as f64 / rate);
                    self.ships[ship as usize].lot_left = 0;
                    self.begin_step(ship, Step::Plain, d);
                }
                (Some(t), true) => {
                    if self.work_holds[ship as usize].exports_pending > 0 {
                        // Any of its cargo waiting at a gate for space comes in now.
                        self.admit_exports_of(ship);
                    }
                    if self.work_holds[ship as usize].exports_pending > 0 {
                        // Its cargo has not all reached the yard: wait for the last delivery.
                        let now = self.now();
                        let h = &mut self.work_holds[ship as usize];
                        h.waiting_exports = true;
                        h.blocked_since = now;
                        return;
                    }
                    let amount = self.step_amount(ship);
                    self.take_from_yard(t.index(), flow.cargo, amount);
                    let s = &mut self.ships[ship as usize];
                    s.lots[lot].done += amount;
                    s.handled += amount;
                    self.stats.slots[s.slot as usize].in_system -= amount;
                    let d = ticks(amount as f64 / rate);
                    self.begin_step(ship, Step::Load { lot, amount }, d);
                }
                (Some(t), false) => {
                    let amount = self.step_amount(ship);
                    if !self.reserve_yard(t.index(), flow.cargo, amount) {
                        if self.load_first(ship, t) {
                            continue;
                        }
                        if self.ships[ship as usize].overflow {
                            // Overflow space: discharge regardless of the yard's capacity.
                            self.force_reserve_yard(t.index(), flow.cargo, amount);
                            let d = ticks(amount as f64 / rate);
                            self.begin_step(ship, Step::Discharge { lot, amount }, d);
                            return;
                        }
                        // The yard is full: discharge stops until cargo leaves it.
                        self.block_on_yard(ship, t.index());
                        return;
                    }
                    let d = ticks(amount as f64 / rate);
                    self.begin_step(ship, Step::Discharge { lot, amount }, d);
                }
            }
            return;
        }
    }

    /// A discharge step is done: its cargo is in the yard and starts its dwell (per step, so
    /// that a lot larger than the yard can still drain while the rest is discharged).
    pub(super) fn discharged(&mut self, ship: u32, lot: usize, amount: u64) {
        let flow = self.ships[ship as usize].lots[lot].flow;
        let yard = self
            .yard_of(ship, flow)
            .expect("only lots through a yard discharge into one");
        self.land_in_yard(yard.index(), self.model.flows[flow.index()].cargo, amount);
        let s = &mut self.ships[ship as usize];
        s.lot_left -= amount;
        s.lots[lot].done += amount;
        s.handled += amount;
        self.stats.slots[s.slot as usize].in_system -= amount;
        if self.tank_receives(flow, amount) {
            // Stock-driven: the tank's send-out takes it on.
        } else if self.model.flows[flow.index()].transship.is_some() {
            // Transshipment waits in the yard for its onward call.
            self.land.hold_transshipment(flow, amount);
        } else {
            self.start_dwell(ship, flow, amount);
        }
    }

    /// The hinterland leg of a flow's cargo on this call: the chosen port's.
    pub(super) fn hinterland_of(
        &self,
        ship: u32,
        flow: FlowId,
    ) -> Option<&'m crate::model::Hinterland> {
        self.leg(ship, flow).hinterland
    }

    /// The index in `legs` of a flow's leg on this call (through the port it went to).
    #[inline]
    pub(super) fn leg_index(&self, ship: u32, flow: FlowId) -> usize {
        let s = &self.ships[ship as usize];
        let i = self.leg_base[flow.index()] as usize + s.port_choice as usize;
        // A call's lots are all of the flow whose alternatives gave its port choice (a tramp
        // call's one lot; a liner's lots at choice 0), so `i` stays within the flow's legs: a
        // lot of another flow at a choice that flow lacks would read the next flow's leg.
        debug_assert!(
            i < self
                .leg_base
                .get(flow.index() + 1)
                .map_or(self.legs.len(), |&b| b as usize),
            "port choice {} beyond flow {}'s alternatives",
            s.port_choice,
            flow.index()
        );
        i
    }

    /// A flow's leg on this call.
    #[inline]
    pub(super) fn leg(&self, ship: u32, flow: FlowId) -> &Leg<'m> {
        &self.legs[self.leg_index(ship, flow)]
    }

    /// The terminal whose yard holds a flow's cargo on this call.
    pub(super) fn yard_of(&self, ship: u32, flow: FlowId) -> Option<crate::model::TerminalId> {
        self.leg(ship, flow).yard
    }

    /// Moves the work cursor's lot into place: an onward transshipment lot takes what the
    /// yard holds for it (up to its cap) now that loading reaches it.
    pub(super) fn enter_lot(&mut self, ship: u32) {
        let s = &self.ships[ship as usize];
        let Some(&l) = s.lots.get(s.cursor) else {
            self.ships[ship as usize].lot_left = 0;
            return;
        };
        if let Some(cap) = l.draw_cap {
            let amount = self.land.transshipment_held(l.flow).min(cap);
            let slot = s.slot as usize;
            self.land.reserve_transshipment(l.flow, amount);
            let s = &mut self.ships[ship as usize];
            s.lots[s.cursor].amount = amount;
            s.lots[s.cursor].draw_cap = Some(cap);
            s.total += amount;
            self.stats.slots[slot].in_system += amount;
        }
        let s = &mut self.ships[ship as usize];
        let cursor = s.cursor;
        s.lot_left = match s.deferred.iter().position(|&(k, _)| k == cursor) {
            Some(i) => s.deferred.swap_remove(i).1,
            None => s.lots[cursor].amount,
        };
    }

    /// Dual cycling: the yard `t` is too full to discharge into, so if this call has export
    /// cargo ready in that yard, load it first — it frees the space the discharge needs. The
    /// interrupted discharge lot swaps places with the load lot and resumes where it stopped.
    /// Without this, ships holding berths while blocked on a yard full of exports for ships
    /// that cannot berth lock the terminal up.
    pub(super) fn load_first(&mut self, ship: u32, t: crate::model::TerminalId) -> bool {
        if self.work_holds[ship as usize].exports_pending > 0 {
            self.admit_exports_of(ship);
        }
        if self.work_holds[ship as usize].exports_pending > 0 {
            return false;
        }
        let s = &self.ships[ship as usize];
        let cur = s.cursor;
        let Some(k) = (cur + 1..s.lots.len()).find(|&k| {
            let l = s.lots[k];
            l.loads && l.draw_cap.is_none() && l.amount > 0 && self.yard_of(ship, l.flow) == Some(t)
        }) else {
            return false;
        };
        let s = &mut self.ships[ship as usize];
        let left = s.lot_left;
        s.lots.swap(cur, k);
        s.deferred.push((k, left));
        s.lot_left = s.lots[cur].amount;
        true
    }

    pub(super) fn loaded(&mut self, ship: u32, _lot: usize, amount: u64) {
        self.ships[ship as usize].lot_left -= amount;
    }

    /// Resumes a ship whose work was held (by the yard or by export cargo still on its way).
    pub(super) fn resume_work(&mut self, ship: u32) {
        let now = self.now();
        let h = &mut self.work_holds[ship as usize];
        if h.blocked_since >= 0 {
            self.ships[ship as usize].blocked += now - h.blocked_since;
            h.blocked_since = -1;
        }
        h.waiting_exports = false;
        self.next_step(ship);
    }
}
