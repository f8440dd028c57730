//! Rail corridors, both ways: trains on a timetable or when full, within daily slots, on the
//! port's tracks (loading outbound, unloading inbound) and the corridor's train sets; cargo
//! that waits too long diverts to road; hub cargo joins the trains without a ship.

use super::*;
use RailDirection::{In, Out};
use rand_distr::{Distribution, Exp1};

impl Sim<'_> {
    /// Calendar day of tick `t` (day 0 is 1 January of the design year).
    pub(in crate::sim::run) fn day_of(&self, t: i64) -> i64 {
        (t - self.warmup_ticks).div_euclid(24 * TICKS_PER_HOUR)
    }

    pub(in crate::sim::run) fn day_start(&self, day: i64) -> i64 {
        self.warmup_ticks + day * 24 * TICKS_PER_HOUR
    }

    /// The first timetable slot at or after `t` for trains running `dir`, if the corridor
    /// runs to a timetable (inbound trains keep the same times at the inland end).
    pub(in crate::sim::run) fn next_timetable_slot(
        &self,
        c: usize,
        dir: RailDirection,
        t: i64,
    ) -> Option<i64> {
        let Departure::Timetable { times_h } = self.model.corridors[c].departure_of(dir) else {
            return None;
        };
        let day = self.day_of(t);
        for d in [day, day + 1] {
            for &h in times_h {
                let at = self.day_start(d) + SimDuration::from_hours(h).0;
                if at >= t {
                    return Some(at);
                }
            }
        }
        None
    }

    fn roll_day(&mut self, c: usize, dir: RailDirection) {
        let day = self.day_of(self.now());
        self.land.corridors[c].dirs[dir as usize].roll_to(day);
    }

    fn track_free(&self, port: usize) -> bool {
        self.land.tracks_busy[port] < self.model.ports[port].rail_loading_tracks
    }

    /// Whether a train may start now: a train set at hand and, outbound, a free port track.
    fn can_start(&self, c: usize, dir: RailDirection) -> bool {
        let k = &self.model.corridors[c];
        self.land.corridors[c].down == 0
            && (dir == In || self.track_free(k.port.index()))
            && k.train_sets
                .is_none_or(|n| self.land.corridors[c].sets_out < n)
    }

    pub(in crate::sim::run) fn timetable_slot(&mut self, c: usize, dir: RailDirection) {
        let now = self.now();
        if !self.land.corridors[c].dirs[dir as usize].queue.is_empty() && self.can_start(c, dir) {
            self.load_train(c, dir);
        }
        if let Some(next) = self.next_timetable_slot(c, dir, now + 1) {
            self.land_at(next, LandEvent::TrainSlot(c as u32, dir));
        }
    }

    /// A when-full corridor: start a train if a full load waits (or the oldest cargo has
    /// waited its limit), a slot is left today, a set is at hand and, outbound, a track is
    /// free.
    pub(in crate::sim::run) fn try_train(&mut self, c: usize, dir: RailDirection) {
        // (The corridor's model, state and durations looked up once: this runs for every lot
        // that joins a queue and after every train.)
        let model = self.model;
        let k = &model.corridors[c];
        let Departure::WhenFull { slots_per_day, .. } = *k.departure_of(dir) else {
            return;
        };
        let now = self.now();
        let day = self.day_of(now);
        let max_wait = self.land.ticks[c].max_wait[dir as usize];
        let cs = &mut self.land.corridors[c];
        if cs.down > 0 {
            return; // the outage's end tries again
        }
        let q = &mut cs.dirs[dir as usize];
        q.roll_to(day);
        let Some(&front) = q.queue.front() else {
            return;
        };
        if q.trains_today >= slots_per_day {
            let at = self.day_start(day + 1);
            self.schedule_check(c, dir, at);
            return;
        }
        let full = q.queued as f64 >= k.train_capacity;
        let due = self.land.lots[front as usize].queued_at + max_wait;
        if !full && now < due {
            self.schedule_check(c, dir, due);
            return;
        }
        let port = k.port.index();
        if dir == Out && !self.track_free(port) {
            let cs = &mut self.land.corridors[c];
            if !cs.waiting_track {
                cs.waiting_track = true;
                self.land.track_waiters[port].push_back(c);
            }
            return;
        }
        // `can_start`, of which the outage and (outbound) the track are checked above.
        if k.train_sets
            .is_some_and(|n| self.land.corridors[c].sets_out >= n)
        {
            return; // no train set at hand: `SetReturns` tries again
        }
        self.load_train(c, dir);
    }

    /// Makes sure the queue running `dir` is checked at `at` or earlier (one pending check a
    /// queue). A time already past — a front lot that waited beyond its limit while the slots
    /// or a track held it — is booked for now: the check's handler acts only on the time booked,
    /// and a check booked in the past would never act, nor let a later one be booked.
    fn schedule_check(&mut self, c: usize, dir: RailDirection, at: i64) {
        let at = at.max(self.now());
        let q = &mut self.land.corridors[c].dirs[dir as usize];
        if q.check_at.is_some_and(|t| t <= at) {
            return;
        }
        q.check_at = Some(at);
        self.land_at(at, LandEvent::TrainCheck(c as u32, dir));
    }

    /// Hours of backlog a consignment joining corridor `c` running `dir` now would face
    /// beyond the normal wait for a train: the full trains' worth of cargo already queued
    /// ahead of it, at the corridor's daily rate of trains that way.
    pub(in crate::sim::run) fn rail_backlog_h(&self, c: usize, dir: RailDirection) -> f64 {
        let k = &self.model.corridors[c];
        let q = &self.land.corridors[c].dirs[dir as usize];
        let full_trains = q.queued as f64 / k.train_capacity;
        // The floor: `as` truncates, the same for a non-negative ratio below 2^53 (and no call
        // into a software `floor`, which the baseline x86-64 target has no instruction for).
        let trains_ahead = if full_trains < 9.0e15 {
            (full_trains as i64) as f64
        } else {
            full_trains.floor()
        };
        trains_ahead * 24.0 / k.departure_of(dir).trains_per_day().max(1e-9)
    }

    /// Puts lot `l` at the back of corridor `c`'s queue running `dir`, and tries a train.
    #[inline(always)]
    pub(in crate::sim::run) fn join_rail_queue(&mut self, l: u32, c: usize, dir: RailDirection) {
        let now = self.now();
        let limit = self.land.ticks[c].divert_after;
        let hub = self.land.lots[l as usize].slot() == NO_SLOT;
        let lt = &mut self.land.lots[l as usize];
        lt.queued_at = now;
        let amount = lt.amount;
        if let Some(limit) = limit.filter(|_| !hub) {
            let at = now + limit;
            lt.divert_at = at;
            self.schedule_divert(c, at);
        }
        let q = &mut self.land.corridors[c].dirs[dir as usize];
        q.queue.push_back(l);
        q.queued += amount;
        self.try_train(c, dir);
    }

    /// Makes sure a divert check fires at `at` or earlier (one pending check a corridor; each
    /// sends what is due and books the next).
    fn schedule_divert(&mut self, c: usize, at: i64) {
        let cs = &mut self.land.corridors[c];
        if cs.divert_at.is_some_and(|t| t <= at) {
            return;
        }
        cs.divert_at = Some(at);
        self.land_at(at, LandEvent::DivertCheck(c as u32));
    }

    /// Loads a train from the head of the queue running `dir`: outbound on a free port track,
    /// inbound at the inland end.
    fn load_train(&mut self, c: usize, dir: RailDirection) {
        let now = self.now();
        self.roll_day(c, dir);
        let model = self.model;
        let k = &model.corridors[c];
        // (`as` truncates: the floor of a capacity, never negative.)
        let mut room = k.train_capacity as u64;
        if room == 0 || self.land.corridors[c].dirs[dir as usize].queue.is_empty() {
            return; // nothing would board: no train
        }
        let id = self.new_train(c);
        // The train slot's lists (empty, with room from its earlier trains) are filled here.
        let train = &mut self.land.trains[id as usize];
        let (mut loads, mut costs, mut lots) = (
            std::mem::take(&mut train.loads),
            std::mem::take(&mut train.costs),
            std::mem::take(&mut train.lots),
        );
        let mut freed = std::mem::take(&mut self.land.freed_yards);
        let mut waited = 0;
        while room > 0 {
            let Some(&l) = self.land.corridors[c].dirs[dir as usize].queue.front() else {
                break;
            };
            let lot = &self.land.lots[l as usize];
            let (t, cargo, slot, queued_at, price, amount) = (
                lot.terminal(),
                lot.cargo,
                lot.slot(),
                lot.queued_at,
                self.price_of(lot),
                lot.amount,
            );
            let take = amount.min(room);
            waited += i128::from(take) * i128::from(now - queued_at);
            // The hours beyond the normal wait already in the rail's static cost, charged with
            // the cargo as it is counted (below: with the train's costs, or on the lot).
            let wait_cny = price.map_or(0.0, |p| {
                let hours = (now - queued_at) as f64 / TICKS_PER_HOUR as f64 - p.normal_wait_h;
                take as f64 * p.vot * hours
            });
            room -= take;
            let whole = take == amount;
            let q = &mut self.land.corridors[c].dirs[dir as usize];
            q.queued -= take;
            if whole {
                q.queue.pop_front();
            }
            match dir {
                Out => {
                    if slot != NO_SLOT {
                        self.yard_out(t, cargo, take);
                        if !freed.contains(&t) {
                            freed.push(t);
                        }
                    }
                    match loads.iter_mut().find(|(s, _)| *s == slot) {
                        Some(x) => x.1 += take,
                        None => loads.push((slot, take)),
                    }
                    if let Some(p) = price {
                        let cost = take as f64 * p.unit_cost + wait_cny;
                        match costs.iter_mut().find(|(s, _)| *s == slot) {
                            Some(x) => x.1 += cost,
                            None => costs.push((slot, cost)),
                        }
                    }
                    self.land.lots[l as usize].amount -= take;
                    if whole {
                        self.land.free_lots.push(l);
                    }
                }
                In => {
                    let carried = if whole { l } else { self.split_lot(l, take) };
                    self.land.lots[carried as usize].pending_cny += wait_cny;
                    lots.push(carried);
                }
            }
        }
        let train = &mut self.land.trains[id as usize];
        (train.loads, train.costs, train.lots) = (loads, costs, lots);
        train.waited = waited;
        let cs = &mut self.land.corridors[c];
        cs.dirs[dir as usize].trains_today += 1;
        cs.sets_out += 1;
        match dir {
            Out => {
                self.land.tracks_busy[k.port.index()] += 1;
                self.land.trains[id as usize].since = now;
                let at = now + self.land.ticks[c].loading;
                self.land_at(at, LandEvent::TrainDeparts(id));
            }
            In => {
                let at = now + self.land.ticks[c].loading_transit;
                self.land_at(at, LandEvent::TrainArrives(id));
            }
        }
        // What is left waits for the next check: at once if a full load remains, else when
        // its oldest cargo has waited its limit.
        self.check_after_load(c, dir);
        for &t in &freed {
            self.yard_freed(t);
        }
        freed.clear();
        self.land.freed_yards = freed;
    }

    /// Books a queue's next check after a train has loaded: none if it is empty, now if a full
    /// load waits, else when its new front's wait runs out (when-full corridors only).
    fn check_after_load(&mut self, c: usize, dir: RailDirection) {
        let Departure::WhenFull { .. } = self.model.corridors[c].departure_of(dir) else {
            return;
        };
        let q = &self.land.corridors[c].dirs[dir as usize];
        let Some(&front) = q.queue.front() else {
            return;
        };
        let at = if q.queued as f64 >= self.model.corridors[c].train_capacity {
            self.now()
        } else {
            self.land.lots[front as usize].queued_at + self.land.ticks[c].max_wait[dir as usize]
        };
        self.schedule_check(c, dir, at);
    }

    /// Splits `take` units off lot `l` (which keeps its place in the queue) into a new lot; an
    /// export lot's ship then waits for one more.
    fn split_lot(&mut self, l: u32, take: u64) -> u32 {
        let mut part = self.land.lots[l as usize].clone();
        // A lot in a queue carries no charge yet (it gets one as it rides or is diverted, and
        // neither goes back into a queue), so the copy takes none twice.
        debug_assert_eq!(part.pending_cny, 0.0, "a queued lot with a charge");
        self.land.lots[l as usize].amount -= take;
        part.amount = take;
        if part.ship != u32::MAX {
            self.work_holds[part.ship as usize].exports_pending += 1;
        }
        self.land.new_lot(part)
    }

    /// A train slot for corridor `c`, off its port track, its lists empty.
    fn new_train(&mut self, c: usize) -> u32 {
        match self.land.free_trains.pop() {
            Some(i) => {
                // Its lists were emptied (their room kept) when it was freed.
                self.land.trains[i as usize].corridor = c;
                i
            }
            None => {
                self.land.trains.push(Train {
                    corridor: c,
                    loads: Vec::new(),
                    costs: Vec::new(),
                    lots: Vec::new(),
                    since: -1,
                    waited: 0,
                });
                (self.land.trains.len() - 1) as u32
            }
        }
    }

    /// Frees train slot `id`, emptying its lists (their room kept for its next train).
    fn free_train(&mut self, id: u32) {
        let t = &mut self.land.trains[id as usize];
        t.since = -1;
        t.loads.clear();
        t.costs.clear();
        t.lots.clear();
        t.waited = 0;
        self.land.free_trains.push(id);
    }

    /// Takes train `id` off its port track, booking the track's busy time, and frees it;
    /// returns its corridor and port.
    #[inline(always)]
    fn off_track(&mut self, id: u32) -> (usize, usize) {
        let now = self.now();
        let (c, since) = {
            let t = &self.land.trains[id as usize];
            (t.corridor, t.since)
        };
        self.free_train(id);
        let port = self.model.corridors[c].port.index();
        self.land.tracks_busy[port] -= 1;
        self.stats.track_busy[port] += self.stats.window.overlap(since, now);
        (c, port)
    }

    /// The train's set is back where it started `hours` from now (at once where the corridor
    /// does not count its sets).
    fn set_back_after(&mut self, c: usize, hours: f64) {
        match self.model.corridors[c].train_sets {
            Some(_) => {
                let back = self.now() + SimDuration::from_hours(hours).0;
                self.land_at(back, LandEvent::SetReturns(c as u32));
            }
            None => self.land.corridors[c].sets_out -= 1,
        }
    }

    /// An outbound train leaves the port: its cargo has left, its track is free.
    pub(in crate::sim::run) fn train_departs(&mut self, id: u32) {
        let now = self.now();
        let train = &self.land.trains[id as usize];
        let c = train.corridor;
        for &(slot, cost) in &train.costs {
            self.stats.land_cost(slot, cost, now);
        }
        let in_window = self.stats.window.contains(SimTime(now));
        let mut carried = 0;
        // (Read in the slot, before `off_track` frees it; what this books and what
        // `off_track` books are separate integer counts.)
        for &(slot, amount) in &train.loads {
            carried += amount;
            if slot == NO_SLOT {
                if in_window {
                    self.stats.corridors[c].hub[Out as usize] += amount;
                }
                continue;
            }
            self.stats.cargo_departs(slot, amount, now);
            if in_window {
                self.stats.slots[slot].by_mode[Mode::Rail as usize] += amount;
                self.stats.corridors[c].by_mode[Mode::Rail as usize] += amount;
            }
        }
        let waited = train.waited;
        let (c, port) = self.off_track(id);
        let k = &self.model.corridors[c];
        if in_window {
            self.stats.train_counted(c, Out as usize, now);
            self.stats.corridors[c].carried[Out as usize] += carried;
            self.stats.rail_waits(c, waited);
        }
        self.set_back_after(c, 2.0 * k.transit_h);
        self.track_released(port);
        self.try_train(c, Out);
    }

    /// An inbound train reaches the port: onto a free track to unload, or it waits for one.
    pub(in crate::sim::run) fn train_arrives(&mut self, id: u32) {
        let port = self.model.corridors[self.land.trains[id as usize].corridor]
            .port
            .index();
        if self.track_free(port) {
            self.start_unloading(id);
        } else {
            self.land.unload_waiters[port].push_back(id);
        }
    }

    fn start_unloading(&mut self, id: u32) {
        let now = self.now();
        let c = self.land.trains[id as usize].corridor;
        let k = &self.model.corridors[c];
        self.land.tracks_busy[k.port.index()] += 1;
        self.land.trains[id as usize].since = now;
        let at = now + self.land.ticks[c].unloading;
        self.land_at(at, LandEvent::TrainUnloaded(id));
    }

    /// An inbound train is unloaded: its export cargo is at the port, its hub cargo leaves
    /// for the hinterland, its track is free.
    pub(in crate::sim::run) fn train_unloaded(&mut self, id: u32) {
        let now = self.now();
        // (The slot's list taken out while its lots are booked, and put back emptied for the
        // slot's next train.)
        let mut lots = std::mem::take(&mut self.land.trains[id as usize].lots);
        let waited = self.land.trains[id as usize].waited;
        let (c, port) = self.off_track(id);
        let k = &self.model.corridors[c];
        let in_window = self.stats.window.contains(SimTime(now));
        let mut carried = 0;
        for &l in &lots {
            let (slot, amount) = {
                let lot = &self.land.lots[l as usize];
                (lot.slot(), lot.amount)
            };
            carried += amount;
            if slot == NO_SLOT {
                if in_window {
                    self.stats.corridors[c].hub[In as usize] += amount;
                }
                self.land.free_lots.push(l);
            } else {
                self.export_arrives(l);
            }
        }
        // The slot is free now: a train loaded meanwhile (none does from these handlers) may
        // have taken it, so its list is replaced only if empty.
        let slot_lots = &mut self.land.trains[id as usize].lots;
        if slot_lots.is_empty() {
            lots.clear();
            *slot_lots = lots;
        }
        if in_window {
            self.stats.train_counted(c, In as usize, now);
            self.stats.corridors[c].carried[In as usize] += carried;
            self.stats.rail_waits(c, waited);
        }
        self.set_back_after(c, k.transit_h);
        self.track_released(port);
        self.try_train(c, In);
    }

    /// A port track is free: an inbound train waiting to unload takes it first; otherwise
    /// the corridors waiting to load try again, in order.
    fn track_released(&mut self, port: usize) {
        if let Some(id) = self.land.unload_waiters[port].pop_front() {
            self.start_unloading(id);
            return;
        }
        if self.land.track_waiters[port].is_empty() {
            return;
        }
        // Corridors that still find no track join a fresh queue while these are tried.
        let mut waiting = std::mem::take(&mut self.land.track_waiters[port]);
        for w in waiting.drain(..) {
            self.land.corridors[w].waiting_track = false;
            self.try_train(w, Out);
        }
        if self.land.track_waiters[port].is_empty() {
            self.land.track_waiters[port] = waiting; // keep its allocation
        }
    }

    /// An export lot going by rail reaches the inland end of its corridor.
    pub(in crate::sim::run) fn rail_origin(&mut self, l: u32) {
        let c = self.land.lots[l as usize]
            .corridor()
            .expect("validation gives every rail share a corridor");
        self.join_rail_queue(l, c, In);
    }

    /// Schedules corridor `c`'s next hub consignment running `dir`, if it has hub cargo.
    pub(in crate::sim::run) fn next_hub_lot(&mut self, c: usize, dir: RailDirection) {
        let now = self.now();
        let Some(streams) = &mut self.land.hub[c] else {
            return;
        };
        let (rng, gap_h) = &mut streams[dir as usize];
        if !gap_h.is_finite() {
            return;
        }
        let e: f64 = Exp1.sample(rng);
        let at = now.saturating_add(SimDuration::from_hours(e * *gap_h).0);
        self.land_at(at, LandEvent::HubArrives(c as u32, dir));
    }

    /// A hub consignment (no ship) joins corridor `c`'s queue running `dir`: outbound at the
    /// port's station, inbound at the inland end.
    pub(in crate::sim::run) fn hub_arrives(&mut self, c: usize, dir: RailDirection) {
        let k = &self.model.corridors[c];
        let hub = k
            .hub
            .as_ref()
            .expect("only hub corridors schedule hub cargo");
        let lot = Lot::new(
            None,
            k.cargo.iter().next().expect("a corridor carries cargo"),
            NO_SLOT,
            hub.lot.round().max(1.0) as u64,
            Mode::Rail,
            u32::MAX,
            Some(c),
            None,
        );
        let lot = self.land.new_lot(lot);
        self.join_rail_queue(lot, c, dir);
        self.next_hub_lot(c, dir);
    }

    /// Sends rail cargo that has waited past the corridor's limit by road: import cargo
    /// through the port's gate, export cargo from the region to the port (hub cargo has no
    /// road alternative and never diverts).
    pub(in crate::sim::run) fn divert(&mut self, c: usize) {
        let now = self.now();
        let mut next = i64::MAX;
        for dir in [Out, In] {
            // Lots queue in the order they joined, so those due are at the front (behind
            // hub lots, which never divert): stop at the first that is not yet due.
            let mut due: Vec<u32> = Vec::new();
            for &l in &self.land.corridors[c].dirs[dir as usize].queue {
                let at = self.land.lots[l as usize].divert_at;
                if at <= now {
                    due.push(l);
                } else if at != i64::MAX {
                    next = next.min(at);
                    break;
                }
            }
            if due.is_empty() {
                continue;
            }
            let q = &mut self.land.corridors[c].dirs[dir as usize];
            q.queue.retain(|l| !due.contains(l));
            for l in due {
                let vot = self.price_of(&self.land.lots[l as usize]).map(|p| p.vot);
                let lot = &mut self.land.lots[l as usize];
                self.land.corridors[c].dirs[dir as usize].queued -= lot.amount;
                // Priced from now at the road's cost (`Sim::price_of`).
                lot.mode = Mode::Road;
                lot.diverted = true;
                let (t, cargo, amount) = (lot.terminal(), lot.cargo, lot.amount);
                if let Some(vot) = vot {
                    // Its hours in the queue, and the road's cost, booked as it moves.
                    let hours = (now - lot.queued_at) as f64 / TICKS_PER_HOUR as f64;
                    lot.pending_cny += amount as f64 * vot * hours;
                }
                match dir {
                    Out => {
                        let at = self.serve(t, Mode::Road, cargo, amount);
                        self.land_at(at, LandEvent::LotLeaves(l));
                    }
                    In => {
                        let k = &self.model.corridors[c];
                        let road_h = self.model.road_hours(k.port, k.region, k.transit_h);
                        let at = now + SimDuration::from_hours(road_h).0;
                        self.land_at(at, LandEvent::ExportArrives(l));
                    }
                }
            }
        }
        if next < i64::MAX {
            self.schedule_divert(c, next);
        }
    }

    /// A rail outage starts or ends on its corridor; at its end, trains start again both ways
    /// if cargo is waiting.
    pub(in crate::sim::run) fn on_rail_outage(&mut self, k: usize, starts: bool) {
        let c = self.model.rail_outages[k].corridor.index();
        if starts {
            self.land.corridors[c].down += 1;
        } else {
            self.land.corridors[c].down -= 1;
            if self.land.corridors[c].down == 0 {
                self.try_train(c, Out);
                self.try_train(c, In);
            }
        }
    }
}
