//! Calls arriving: tramp and liner generators announce each call (ahead of arrival when
//! its exports must reach the yard first), the call is made up and it joins a berth queue —
//! under the integrated policy, at the candidate port of least expected cost.

use super::*;

impl<'m> Sim<'m> {
    /// The next tramp arrival time (hours since the run start) after `now_h`: by thinning a
    /// Poisson process at the peak monthly rate, or — on a delivery programme — the next slot
    /// (one mean gap on, the gap shrunk by the slot's seasonal factor; the first at a random
    /// phase) plus the call's lateness, never before `now_h`.
    pub(super) fn next_tramp_time(&mut self, g: usize, now_h: f64) -> f64 {
        let warmup_h = self.warmup_h;
        let GenKind::Tramp {
            mean_gap_h,
            season,
            season_max,
            arrivals,
            timing,
            ..
        } = &mut self.gens[g].kind
        else {
            unreachable!("tramp generator expected");
        };
        if let GenTiming::Programme { jitter, slot } = timing {
            let factor = |t: f64| season[month_of(t - warmup_h)];
            let mut next = if *slot < 0.0 {
                arrivals.random::<f64>() * *mean_gap_h / factor(0.0).max(1e-9)
            } else {
                *slot + *mean_gap_h / factor(*slot).max(1e-9)
            };
            // No slots in a month without deliveries: the programme resumes with the next
            // month that has some (validation keeps at least one).
            for _ in 0..12 {
                if factor(next) > 0.0 {
                    break;
                }
                let into_year = (next - warmup_h).rem_euclid(365.0 * 24.0);
                let m = month_of(next - warmup_h);
                let end = if m == 11 {
                    365.0 * 24.0
                } else {
                    month_start_h(m + 1)
                };
                next += end - into_year;
            }
            *slot = next;
            return (next + jitter.sample(arrivals)).max(now_h);
        }
        let mut t = now_h;
        if *season_max == 1.0 {
            let e: f64 = Exp1.sample(arrivals);
            return t + e * *mean_gap_h;
        }
        loop {
            let e: f64 = Exp1.sample(arrivals);
            t += e * *mean_gap_h / *season_max;
            let m = month_of(t - warmup_h);
            if arrivals.random::<f64>() * *season_max <= season[m] {
                return t;
            }
        }
    }

    pub(super) fn new_ship(&mut self, g: usize, arrival: i64) -> u32 {
        let idx = match self.free_ships.pop() {
            Some(i) => i,
            None => {
                self.ships.push(Ship::default());
                self.work_holds.push(WorkHold::FREE);
                (self.ships.len() - 1) as u32
            }
        };
        // (A freed ship had none pending: each of its exports entered the yard before it
        // loaded them and left.)
        debug_assert_eq!(self.work_holds[idx as usize].exports_pending, 0);
        self.work_holds[idx as usize] = WorkHold::FREE;
        let seq = self.next_seq;
        self.next_seq += 1;
        let s = &mut self.ships[idx as usize];
        let lots = std::mem::take(&mut s.lots);
        *s = Ship {
            source: g as u32,
            seq,
            lots,
            arrival,
            berth: NO_BERTH,
            berthed_at: -1,
            version: s.version.wrapping_add(1),
            block_seq: s.block_seq,
            ..Ship::default()
        };
        s.lots.clear();
        idx
    }

    pub(super) fn on_announce(&mut self, g: usize) {
        match self.gens[g].kind {
            GenKind::Tramp { .. } => self.announce_tramp(g),
            GenKind::Liner { .. } => self.announce_liner(g),
        }
    }

    /// Creates the tramp call arriving at the generator's next arrival time, schedules its
    /// arrival (and its exports' deliveries), then draws the next arrival.
    pub(super) fn announce_tramp(&mut self, g: usize) {
        let now = self.now();
        let horizon = self.gens[g].horizon;
        let GenKind::Tramp { next_arrival_h, .. } = &self.gens[g].kind else {
            unreachable!("tramp generator expected");
        };
        let arrival_h = *next_arrival_h;
        let arrival = SimTime::from_hours(arrival_h).0.max(now);
        let (ship, _) = self.tramp_call(g, arrival);
        let next = self.next_tramp_time(g, arrival_h);
        if let GenKind::Tramp { next_arrival_h, .. } = &mut self.gens[g].kind {
            *next_arrival_h = next;
        }
        let announce = (SimTime::from_hours(next).0 - horizon).max(now);
        self.sched.schedule_in(
            SimDuration(announce - now),
            P_ARRIVAL,
            Event::Announce(g as u32),
        );
        if arrival == now {
            self.arrive(ship);
        } else {
            self.sched
                .schedule_in(SimDuration(arrival - now), P_ARRIVAL, Event::Arrive(ship));
        }
    }

    /// Makes up a call of tramp generator `g` arriving at tick `arrival`: one lot of a parcel
    /// drawn from its class. Returns the ship and its parcel; the caller books the arrival.
    pub(super) fn tramp_call(&mut self, g: usize, arrival: i64) -> (u32, u64) {
        let model = self.model;
        let GenKind::Tramp {
            flow,
            class,
            parcels,
            ..
        } = &mut self.gens[g].kind
        else {
            unreachable!("tramp generator expected");
        };
        let class_def = &model.ship_classes[class.index()];
        // Round half up (parcels are positive); `as` saturates, clamp bounds the result.
        let amount = (class_def.parcel.sample(parcels) + 0.5).clamp(1.0, class_def.capacity) as u64;
        let flow = *flow;
        let ship = self.new_ship(g, arrival);
        let s = &mut self.ships[ship as usize];
        let loads = model.flows[flow.index()].direction == Direction::Export;
        s.lots.push(CallLot {
            flow,
            amount,
            loads,
            draw_cap: None,
            done: 0,
        });
        s.total = amount;
        self.prepare_call(ship);
        (ship, amount)
    }

    /// Creates the liner call of the generator's next slot (arriving after a random delay),
    /// then moves on to the following slot.
    pub(super) fn announce_liner(&mut self, g: usize) {
        let now = self.now();
        let model = self.model;
        let horizon = self.gens[g].horizon;
        let GenKind::Liner {
            service,
            next_slot,
            headway,
            rng,
            ..
        } = &mut self.gens[g].kind
        else {
            unreachable!("liner generator expected");
        };
        let svc = &model.services[service.index()];
        let slot = *next_slot;
        let delay = SimDuration::from_hours(svc.delay_h.sample(rng));
        *next_slot = slot + headway.0;
        let following = *next_slot;
        let arrival = (slot + delay.0).max(now);
        // The ship first, so that its lots are filled in its own (reused) list.
        let ship = self.new_ship(g, arrival);
        let mut lots = std::mem::take(&mut self.ships[ship as usize].lots);
        let GenKind::Liner {
            sizes,
            means,
            onward,
            ..
        } = &mut self.gens[g].kind
        else {
            unreachable!("liner generator expected");
        };
        let cv = svc.call_size_cv;
        // Gamma with mean 1: call sizes vary, the annual volume does not drift.
        let shape = 1.0 / (cv * cv);
        let size_factor = (cv > 0.0)
            .then(|| rand_distr::Gamma::new(shape, 1.0 / shape).ok())
            .flatten();
        // The reused list keeps the room of the largest call its slot has had (often a tramp's
        // one lot): make room for this call's lots at once rather than growing step by step.
        lots.reserve(means.len() + onward.len());
        for &(f, mean) in means.iter() {
            let factor = size_factor.as_ref().map_or(1.0, |d| d.sample(sizes));
            let loads = model.flows[f.index()].direction == Direction::Export;
            lots.push(CallLot {
                flow: f,
                amount: (mean * factor + 0.5).max(0.0) as u64,
                loads,
                draw_cap: None,
                done: 0,
            });
        }
        for &(f, cap) in onward.iter() {
            lots.push(CallLot {
                flow: f,
                amount: 0,
                loads: true,
                draw_cap: Some(cap),
                done: 0,
            });
        }
        let s = &mut self.ships[ship as usize];
        s.total = lots.iter().map(|l| l.amount).sum();
        s.lots = lots;
        self.prepare_call(ship);
        self.sched
            .schedule_in(SimDuration(arrival - now), P_ARRIVAL, Event::Arrive(ship));
        let announce = (following - horizon).max(now);
        self.sched.schedule_in(
            SimDuration(announce - now),
            P_ARRIVAL,
            Event::Announce(g as u32),
        );
    }

    /// Orders the call's lots (imports first), sets its drafts and sends its exports on their
    /// way to the yard.
    pub(super) fn prepare_call(&mut self, ship: u32) {
        let s = &mut self.ships[ship as usize];
        let source = &self.gens[s.source as usize];
        let (uses_yard, several, exports) =
            (source.uses_yard, source.several_flows, source.land_exports);
        if several {
            // Stable: imports and transshipment keep their order, then exports.
            s.lots.sort_by_key(|l| l.loads);
        }
        s.uses_yard = uses_yard;
        self.set_drafts(ship);
        if exports {
            self.dispatch_exports(ship);
        }
    }

    pub(super) fn set_drafts(&mut self, ship: u32) {
        let model = self.model;
        let s = &mut self.ships[ship as usize];
        let source = &self.gens[s.source as usize];
        let class = &model.ship_classes[source.class.index()];
        let (mut inbound, mut outbound) = (0u64, 0u64);
        for l in &s.lots {
            let flow = &model.flows[l.flow.index()];
            if flow.direction == Direction::Transshipment && flow.transship.is_none() {
                // Discharged and loaded on the same call.
                inbound += l.amount;
                outbound += l.amount;
            } else if l.loads {
                outbound += l.amount;
            } else {
                inbound += l.amount;
            }
        }
        if source.cargo.is_container() {
            // Container ships carry cargo for other ports too: take the laden draft both ways.
            s.arrival_draft_m = class.draft_m;
            s.departure_draft_m = class.draft_m;
        } else {
            s.arrival_draft_m = class.draft_with_load_m(inbound as f64);
            s.departure_draft_m = class.draft_with_load_m(outbound as f64);
        }
    }

    pub(super) fn arrive(&mut self, ship: u32) {
        let now = self.now();
        let (g, total) = {
            let s = &self.ships[ship as usize];
            (s.source as usize, s.total)
        };
        let candidate = self.choose_port(ship);
        let (group, slot, port_choice) = {
            let c = &self.gens[g].candidates[candidate];
            (c.group, c.slot, c.port_choice)
        };
        let s = &mut self.ships[ship as usize];
        s.port_choice = port_choice as u8;
        s.at_port = true;
        s.group = group as u32;
        s.slot = slot as u32;
        s.candidate = candidate as u8;
        let in_window = self.stats.window.contains(SimTime(now));
        let st = &mut self.stats.slots[slot];
        st.in_system += total;
        if in_window {
            st.arrivals += 1;
        }
        // Cargo arriving by sea: all but what the ship will load from the yard (exports that
        // come by land, onward transshipment already in port).
        for i in 0..self.ships[ship as usize].lots.len() {
            let l = self.ships[ship as usize].lots[i];
            if !(l.loads && self.through_yard[l.flow.index()]) {
                self.stats.cargo_arrives(slot, l.amount, now);
            }
        }
        self.stats.waiting_change(slot, now, 1);
        self.set_cause(ship, Some(Cause::Berth));
        match self.free_berth(group) {
            Some(b) => self.assign_berth(ship, b),
            None => self.groups[group].queue.push_back(ship),
        }
    }

    /// The candidate port for a call: its own, or — under the integrated policy — the one of
    /// least expected cost: expected wait × the ship's cost per hour + haul × cargo. The
    /// expected wait is a live estimate: nothing if a compatible berth is free, otherwise
    /// (ships queued + ½) × mean service / compatible berths. Ties go to the own port.
    pub(super) fn choose_port(&self, ship: u32) -> usize {
        let s = &self.ships[ship as usize];
        let source = &self.gens[s.source as usize];
        if !self.model.settings.policy.integrates() || source.candidates.len() < 2 {
            return 0;
        }
        let cost_per_h = self.model.ship_classes[source.class.index()].cost_per_h;
        let mut best = (0usize, f64::INFINITY);
        for (k, c) in source.candidates.iter().enumerate() {
            let group = &self.groups[c.group];
            let busy = group
                .berths
                .iter()
                .all(|b| self.berth_occupant[b.index()] != NO_BERTH);
            let wait_h = if !busy {
                0.0
            } else {
                (group.queue.len() as f64 + 0.5) * c.mean_service_h
                    / group.berths.len().max(1) as f64
            };
            let cost = wait_h * cost_per_h + c.haul_cost * s.total as f64;
            if cost < best.1 {
                best = (k, cost);
            }
        }
        best.0
    }
}
