//! Berths and the channel: a berth offered to the queue, waiting for closures, the tide and
//! the one-way channel (each hour booked to one cause), transits in and out, unmooring and
//! departure.

use super::*;
use crate::model::BerthAllocation;

impl<'m> Sim<'m> {
    pub(super) fn set_cause(&mut self, ship: u32, cause: Option<Cause>) {
        let now = self.now();
        let s = &mut self.ships[ship as usize];
        if let Some(c) = s.cause {
            s.waits[c as usize] += now - s.cause_since;
        }
        s.cause = cause;
        s.cause_since = now;
    }

    pub(super) fn assign_berth(&mut self, ship: u32, berth: BerthId) {
        self.berth_occupant[berth.index()] = ship;
        self.sections[self.berth_refs[berth.index()].section as usize].calls += 1;
        self.ships[ship as usize].berth = berth.0;
        self.try_transit(ship, false);
    }

    /// The free berth an arriving ship of `group` takes, if any (see `free_berth_where`).
    pub(super) fn free_berth(&self, group: usize) -> Option<BerthId> {
        self.free_berth_where(group, |_| true)
    }

    /// The free berth of `group` (one that `ok` accepts) a ship takes: the first in the
    /// group's order, the smallest sufficient — unless its terminal spreads its calls, when it
    /// is the free berth of that terminal whose quay section has the smallest share of its
    /// berths occupied and, between sections equally occupied, the fewest calls a berth so far
    /// (a full tie keeps the smaller berth).
    pub(super) fn free_berth_where(
        &self,
        group: usize,
        ok: impl Fn(BerthId) -> bool,
    ) -> Option<BerthId> {
        let g = &self.groups[group];
        let free = |b: BerthId| {
            self.berth_occupant[b.index()] == NO_BERTH && self.berth_down[b.index()] == 0 && ok(b)
        };
        let first = g.berths.iter().copied().find(|&b| free(b))?;
        let terminal = self.berth_refs[first.index()].terminal;
        if !g.spread
            || self.model.terminals[terminal as usize].berth_allocation != BerthAllocation::Spread
        {
            return Some(first);
        }
        // (occupied, calls, berths) of b's section.
        let load = |b: BerthId| {
            let s = &self.sections[self.berth_refs[b.index()].section as usize];
            let busy = (s.first..s.first + s.berths)
                .filter(|&o| self.berth_occupant[o as usize] != NO_BERTH)
                .count() as u64;
            (busy, s.calls, u64::from(s.berths))
        };
        let mut best = (first, load(first));
        for &b in &g.berths {
            if b == first || self.berth_refs[b.index()].terminal != terminal || !free(b) {
                continue;
            }
            let (l, m) = (load(b), best.1);
            // Shares compared exactly (cross-multiplied), occupancy first.
            if (l.0 * m.2, l.1 * m.2) < (m.0 * l.2, m.1 * l.2) {
                best = (b, l);
            }
        }
        Some(best.0)
    }

    /// The sections of berth `b`'s terminal other than `b`'s have been given more calls a
    /// berth while `b`'s was out of service: it rejoins level with the busiest of them rather
    /// than take every tie until it has caught up.
    fn level_section(&mut self, b: usize) {
        let k = self.berth_refs[b].section as usize;
        let me = self.sections[k];
        let level = self
            .sections
            .iter()
            .filter(|s| s.terminal == me.terminal)
            .map(|s| (s.calls * u64::from(me.berths)).div_ceil(u64::from(s.berths)))
            .max()
            .unwrap_or(0);
        self.sections[k].calls = me.calls.max(level);
    }

    /// Offers a freed berth to the waiting ship that may use it with the highest priority
    /// (liners first, then earliest arrival).
    pub(super) fn offer_berth(&mut self, berth: BerthId) {
        if self.berth_down[berth.index()] > 0 {
            return; // out of service: it takes ships again when the outage ends
        }
        let mut best: Option<(u8, i64, u64, u32)> = None;
        for &g in &self.berth_groups[berth.index()] {
            let group = &self.groups[g as usize];
            if let Some(&ship) = group.queue.front() {
                let s = &self.ships[ship as usize];
                let key = (group.priority, s.arrival, s.seq, g);
                if best.is_none_or(|b| (key.0, key.1, key.2) < (b.0, b.1, b.2)) {
                    best = Some(key);
                }
            }
        }
        if let Some((_, _, _, g)) = best {
            let ship = self.groups[g as usize]
                .queue
                .pop_front()
                .expect("the group's head was just seen");
            self.assign_berth(ship, berth);
        }
    }

    /// Moves a ship through its area's channel (inbound or outbound) as soon as closures, the
    /// tide and one-way traffic allow. `from_queue`: the ship comes from the head of the
    /// channel's queue, so it need not queue behind others.
    pub(super) fn try_transit(&mut self, ship: u32, from_queue: bool) -> Transit {
        let model = self.model;
        let now = self.now();
        let s = &self.ships[ship as usize];
        let berth = self.berth_refs[s.berth as usize];
        let (port, area) = (berth.port as usize, berth.area as usize);
        let outbound = s.outbound;
        if self.ports[port].channel_closed > 0 {
            self.wait_for(ship, Cause::Closure);
            self.ports[port].closure_waiters.push(ship);
            return Transit::Waiting;
        }
        let Some(ch) = &model.areas[area].channel else {
            self.start_transit(ship, area, 0, false);
            return Transit::Started;
        };
        let draft = if outbound {
            s.departure_draft_m
        } else {
            s.arrival_draft_m
        };
        let class = &model.ship_classes[self.gens[s.source as usize].class.index()];
        let one_way = ch.one_way_min_dwt_t.is_some_and(|m| class.dwt_t >= m);
        let cs = &self.channels[area];
        let blocked = cs.exclusive || (one_way && cs.in_transit > 0);
        if blocked || (!cs.waiters.is_empty() && !from_queue) {
            self.wait_for(ship, Cause::Channel);
            self.channels[area].waiters.push_back(ship);
            return Transit::QueuedForChannel;
        }
        let tide = &model.ports[port].tide;
        let now_h = now as f64 / TICKS_PER_HOUR as f64 - self.warmup_h;
        let need = ch.tide_need_m(draft);
        match tide.next_window_h(now_h, need, ch.transit_h) {
            Some(start_h) => {
                let start = SimTime::from_hours(start_h + self.warmup_h).0;
                if start > now {
                    self.wait_for(ship, Cause::Tide);
                    self.sched.schedule_in(
                        SimDuration(start - now),
                        P_TIDE,
                        Event::TideReady(ship),
                    );
                    return Transit::Waiting;
                }
            }
            None => {
                // Validation keeps laden drafts passable; a partial load never draws more.
                self.error = Some(SimError::Invariant(format!(
                    "a ship of class {} (draft {draft:.2} m) can never pass the channel of {}",
                    class.name, model.areas[area].name
                )));
                return Transit::Waiting;
            }
        }
        self.start_transit(ship, area, ticks(ch.transit_h), one_way);
        Transit::Started
    }

    pub(super) fn wait_for(&mut self, ship: u32, cause: Cause) {
        // Outbound ships wait at berth: that time is service, not waiting.
        if !self.ships[ship as usize].outbound {
            self.set_cause(ship, Some(cause));
        }
    }

    pub(super) fn start_transit(&mut self, ship: u32, area: usize, transit: i64, one_way: bool) {
        let now = self.now();
        if transit > 0 {
            let cs = &mut self.channels[area];
            cs.in_transit += 1;
            cs.exclusive |= one_way;
        }
        let s = &mut self.ships[ship as usize];
        s.one_way = one_way;
        if s.outbound {
            self.unmoor(ship, transit);
            if transit > 0 {
                self.sched.schedule_in(
                    SimDuration(transit),
                    P_TRANSIT,
                    Event::TransitOutDone(ship),
                );
            } else {
                self.on_departed(ship);
            }
        } else {
            self.set_cause(ship, None);
            let slot = self.ships[ship as usize].slot as usize;
            self.stats.waiting_change(slot, now, -1);
            if transit > 0 {
                self.sched
                    .schedule_in(SimDuration(transit), P_TRANSIT, Event::TransitInDone(ship));
            } else {
                self.on_moored(ship);
            }
        }
    }

    pub(super) fn transit_finished(&mut self, ship: u32) {
        let s = &self.ships[ship as usize];
        let berth = self.berth_refs[s.berth as usize];
        if !berth.timed_channel {
            return;
        }
        let area = berth.area as usize;
        let one_way = s.one_way;
        let cs = &mut self.channels[area];
        cs.in_transit -= 1;
        if one_way {
            cs.exclusive = false;
        }
        if cs.waiters.is_empty() {
            return; // no one waits to try again
        }
        // Let waiting ships try again in their order. The first one still blocked by traffic
        // goes back to the queue with everyone behind it, in order; ships that now wait for a
        // closure or the tide leave the queue.
        let spare = std::mem::take(&mut cs.spare);
        let mut waiting = std::mem::replace(&mut cs.waiters, spare);
        for i in 0..waiting.len() {
            let w = waiting[i];
            if self.try_transit(w, true) == Transit::QueuedForChannel {
                let cs = &mut self.channels[area];
                // try_transit pushed `w` last; put it back with the rest behind it.
                let pushed = cs.waiters.pop_back();
                debug_assert_eq!(pushed, Some(w));
                cs.waiters.extend(waiting.range(i..));
                waiting.clear();
                cs.spare = waiting;
                return;
            }
        }
        // All passed: the queue is empty again (with the spare's room); keep this one's too.
        waiting.clear();
        self.channels[area].spare = waiting;
    }

    /// The ship leaves its berth: record the call and offer the berth to the next ship.
    pub(super) fn unmoor(&mut self, ship: u32, transit_out: i64) {
        let model = self.model;
        let now = self.now();
        let s = &self.ships[ship as usize];
        let berth = s.berth as usize;
        let g = s.source as usize;
        let slot = s.slot as usize;
        let window = self.stats.window;
        self.stats.berth_busy[berth] += window.overlap(s.berthed_at, now);
        self.ships[ship as usize].at_port = false;
        let s = &self.ships[ship as usize];
        // Cargo leaving by sea: all but what the ship discharged into the yard (imports that
        // leave by land, transshipment that leaves on another call).
        for l in &s.lots {
            if l.loads || !self.through_yard[l.flow.index()] {
                self.stats.cargo_departs(slot, l.amount, now);
            }
        }
        let st = &mut self.stats.slots[slot];
        // What it handled through the yard has left `in_system` step by step already.
        st.in_system -= s.total - s.handled;
        if window.contains(SimTime(now)) {
            let wait: i64 = s.waits.iter().sum();
            st.calls += 1;
            st.delayed += i128::from(wait) * i128::from(s.total);
            st.wait_cost += (wait + s.blocked) as f64 / TICKS_PER_HOUR as f64
                * model.ship_classes[self.gens[g].class.index()].time_cost_per_h;
            st.blocked += s.blocked;
            for i in 0..4 {
                st.wait_by_cause[i] += s.waits[i];
            }
            st.service += now - s.berthed_at;
            st.turnaround += now + transit_out - s.arrival;
            st.waits.record(wait as f64 / TICKS_PER_HOUR as f64);
            st.handled += s.total;
            // Hotelling at berth: the electric load on shore power where the berth has it and
            // the ship can take it (the class's capable share of the energy), on the ship's own
            // generators otherwise; the boilers (steam and heat) burn fuel either way.
            let class = &model.ship_classes[self.gens[g].class.index()];
            if class.power_at_berth_kw > 0.0 {
                let kwh = |kw: f64| kw * (now - s.berthed_at) as f64 / TICKS_PER_HOUR as f64;
                let boiler = kwh(class.boiler_at_berth_kw);
                let electric = kwh(class.power_at_berth_kw) - boiler;
                let shore = if model.berths[berth].shore_power {
                    electric * class.shore_power_share
                } else {
                    0.0
                };
                let e = &model.emissions;
                for i in 0..4 {
                    st.emitted_g[i] += (electric - shore) * e.ship_g_per_kwh[i]
                        + shore * e.grid_g_per_kwh[i]
                        + boiler * e.boiler_g_per_kwh[i];
                }
                st.shore_kwh += shore;
            }
            let term = self.berth_refs[berth].terminal as usize;
            let overflowed = self.ships[ship as usize].overflow;
            let ts = &mut self.stats.terminals[term];
            ts.calls += 1;
            ts.overflow_calls += u64::from(overflowed);
            ts.wait += wait;
            ts.service += now - s.berthed_at;
            let by = &mut ts.by_cargo[self.gens[g].cargo.index()];
            by.calls += 1;
            by.wait += wait;
            by.service += now - s.berthed_at;
            let f = if self.gens[g].cargo.is_container() {
                model.settings.t_per_teu
            } else {
                1.0
            };
            ts.handled_t += s.total as f64 * f;
            if self.gens[g].cargo.is_container() {
                ts.handled_teu += s.total;
            }
        }
        if let Some(calls) = &mut self.calls {
            let h = TICKS_PER_HOUR as f64;
            calls.push(CallRecord {
                flow: s.lots.first().map_or(FlowId(0), |l| l.flow),
                berth: BerthId(s.berth),
                arrival_h: s.arrival as f64 / h,
                berthed_h: s.berthed_at as f64 / h,
                unmoored_h: now as f64 / h,
                waits_h: s.waits.map(|w| w as f64 / h),
                amount: s.total,
                class: self.gens[g].class,
                departure_h: (now + transit_out) as f64 / h,
                measured: window.contains(SimTime(now)),
            });
        }
        self.berth_occupant[berth] = NO_BERTH;
        self.offer_berth(BerthId(berth as u32));
    }

    pub(super) fn on_departed(&mut self, ship: u32) {
        if self.berth_refs[self.ships[ship as usize].berth as usize].timed_channel {
            self.transit_finished(ship);
        }
        self.free_ships.push(ship);
    }

    /// Ships queued for a one-way channel while their port's channel is closed are waiting for
    /// the closure, not for traffic: switch their cause when a closure starts and ends.
    pub(super) fn rebook_channel_queues(&mut self, port: usize, cause: Cause) {
        for &area in &self.model.ports[port].areas {
            for i in 0..self.channels[area.index()].waiters.len() {
                let ship = self.channels[area.index()].waiters[i];
                self.wait_for(ship, cause);
            }
        }
    }

    pub(super) fn on_closure(&mut self, port: usize, channel: bool, handling: bool, starts: bool) {
        let model = self.model;
        if channel {
            let ps = &mut self.ports[port];
            if starts {
                ps.channel_closed += 1;
                if ps.channel_closed == 1 {
                    self.rebook_channel_queues(port, Cause::Closure);
                }
            } else {
                ps.channel_closed -= 1;
                if ps.channel_closed == 0 {
                    self.rebook_channel_queues(port, Cause::Channel);
                    let waiting = std::mem::take(&mut self.ports[port].closure_waiters);
                    for w in waiting {
                        self.try_transit(w, false);
                    }
                }
            }
        }
        if handling {
            let ps = &mut self.ports[port];
            let before = ps.handling_closed;
            if starts {
                ps.handling_closed += 1;
            } else {
                ps.handling_closed -= 1;
            }
            let after = self.ports[port].handling_closed;
            if before == 0 && after > 0 || before > 0 && after == 0 {
                for b in 0..model.berths.len() {
                    if model.berths[b].port.index() == port {
                        self.refresh_pause(b);
                    }
                }
            }
        }
    }

    /// Whether handling is stopped at berth `b`: its port's handling closed, or the berth out.
    pub(super) fn handling_stopped(&self, b: usize) -> bool {
        let port = self.berth_refs[b].port as usize;
        self.ports[port].handling_closed > 0 || self.berth_down[b] > 0
    }

    /// Pauses or resumes the step under way at berth `b` as its handling stops or restarts.
    pub(super) fn refresh_pause(&mut self, b: usize) {
        let now = self.now();
        let ship = self.berth_occupant[b];
        if ship == NO_BERTH {
            return;
        }
        let stopped = self.handling_stopped(b);
        let s = &mut self.ships[ship as usize];
        // Only a step under way stops; a ship blocked by the yard has none.
        if s.berthed_at < 0 || s.outbound || s.step == Step::Idle {
            return;
        }
        if stopped && !s.paused {
            s.paused = true;
            s.work_left = (s.step_end - now).max(0);
            s.version = s.version.wrapping_add(1);
        } else if !stopped && s.paused {
            s.paused = false;
            s.step_end = now + s.work_left;
            let v = s.version;
            let left = s.work_left;
            self.sched
                .schedule_in(SimDuration(left), P_SERVICE, Event::StepDone(ship, v));
        }
    }

    /// A berth outage starts or ends: its berths stop (their ships' work pauses) or restart
    /// (work resumes, and a free berth takes the next ship).
    pub(super) fn on_berth_outage(&mut self, k: usize, starts: bool) {
        let model = self.model;
        for &b in &model.berth_outages[k].berths {
            let b = b.index();
            if starts {
                self.berth_down[b] += 1;
                self.move_reservation(b, false);
            } else {
                self.berth_down[b] -= 1;
                if self.berth_down[b] == 0 {
                    self.level_section(b);
                }
            }
            self.refresh_pause(b);
            if self.berth_down[b] == 0 && self.berth_occupant[b] == NO_BERTH {
                self.offer_berth(BerthId(b as u32));
            }
        }
    }

    /// Berth `b` is out of service: a ship that holds it but has not moored — still waiting to
    /// come in (for a closure, the tide or the channel), or, with `arrived`, just in from the
    /// channel — takes a free berth of its queue in the same area instead, where there is one.
    /// (A ship with no such berth free waits at `b` for the outage to end, its work paused.)
    pub(super) fn move_reservation(&mut self, b: usize, arrived: bool) {
        let ship = self.berth_occupant[b];
        if ship == NO_BERTH {
            return;
        }
        let s = &self.ships[ship as usize];
        if s.berthed_at >= 0 || s.outbound || (s.cause.is_none() && !arrived) {
            return;
        }
        let area = self.berth_refs[b].area;
        let free = self.free_berth_where(s.group as usize, |o| {
            o.index() != b && self.berth_refs[o.index()].area == area
        });
        if let Some(o) = free {
            self.berth_occupant[b] = NO_BERTH;
            self.berth_occupant[o.index()] = ship;
            self.ships[ship as usize].berth = o.0;
            // The call moves to the other berth's section.
            self.sections[self.berth_refs[b].section as usize].calls -= 1;
            self.sections[self.berth_refs[o.index()].section as usize].calls += 1;
        }
    }
}
