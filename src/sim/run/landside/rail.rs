//! Rail corridors: trains on a timetable or when full, within daily slots, on the port's
//! loading tracks and train sets; cargo that waits too long diverts to road.

use super::*;

impl Sim<'_> {
    /// Calendar day of tick `t` (day 0 is 1 January of the design year).
    pub(in crate::sim::run) fn day_of(&self, t: i64) -> i64 {
        (t - SimTime::from_hours(self.warmup_h).0).div_euclid(24 * TICKS_PER_HOUR)
    }

    pub(in crate::sim::run) fn day_start(&self, day: i64) -> i64 {
        SimTime::from_hours(self.warmup_h).0 + day * 24 * TICKS_PER_HOUR
    }

    /// The first timetable slot at or after `t`, if the corridor runs to a timetable.
    pub(in crate::sim::run) fn next_timetable_slot(&self, c: usize, t: i64) -> Option<i64> {
        let Departure::Timetable { times_h } = &self.model.corridors[c].departure else {
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

    pub(in crate::sim::run) fn roll_day(&mut self, c: usize) {
        let day = self.day_of(self.now());
        let cs = &mut self.land.corridors[c];
        if cs.day != day {
            cs.day = day;
            cs.trains_today = 0;
        }
    }

    pub(in crate::sim::run) fn can_load(&self, c: usize) -> bool {
        let k = &self.model.corridors[c];
        let port = k.port.index();
        self.land.tracks_busy[port] < self.model.ports[port].rail_loading_tracks
            && k.train_sets
                .is_none_or(|n| self.land.corridors[c].sets_out < n)
    }

    pub(in crate::sim::run) fn timetable_slot(&mut self, c: usize) {
        let now = self.now();
        if !self.land.corridors[c].queue.is_empty() && self.can_load(c) {
            self.load_train(c);
        }
        if let Some(next) = self.next_timetable_slot(c, now + 1) {
            self.land_at(next, LandEvent::TrainSlot(c as u32));
        }
    }

    /// A when-full corridor: start a train if a full load waits (or the oldest cargo has
    /// waited its limit), a slot is left today, a track is free and a set is at hand.
    pub(in crate::sim::run) fn try_train(&mut self, c: usize) {
        let Departure::WhenFull {
            slots_per_day,
            max_wait_h,
        } = self.model.corridors[c].departure
        else {
            return;
        };
        let now = self.now();
        self.roll_day(c);
        let cs = &self.land.corridors[c];
        let Some(&front) = cs.queue.front() else {
            return;
        };
        if cs.trains_today >= slots_per_day {
            let at = self.day_start(self.day_of(now) + 1);
            self.schedule_check(c, at);
            return;
        }
        let full = cs.queued as f64 >= self.model.corridors[c].train_capacity;
        let due = self.land.lots[front as usize].queued_at + SimDuration::from_hours(max_wait_h).0;
        if !full && now < due {
            self.schedule_check(c, due);
            return;
        }
        let port = self.model.corridors[c].port.index();
        if self.land.tracks_busy[port] >= self.model.ports[port].rail_loading_tracks {
            if !self.land.corridors[c].waiting_track {
                self.land.corridors[c].waiting_track = true;
                self.land.track_waiters[port].push_back(c);
            }
            return;
        }
        if !self.can_load(c) {
            return; // no train set at hand: `SetReturns` tries again
        }
        self.load_train(c);
    }

    pub(in crate::sim::run) fn schedule_check(&mut self, c: usize, at: i64) {
        let cs = &mut self.land.corridors[c];
        if cs.check_at.is_some_and(|t| t <= at) {
            return;
        }
        cs.check_at = Some(at);
        self.land_at(at, LandEvent::TrainCheck(c as u32));
    }

    /// Hours of backlog a consignment joining corridor `c` now would face beyond the normal
    /// wait for a train: the full trains' worth of cargo already queued ahead of it, at the
    /// corridor's daily rate of trains.
    pub(in crate::sim::run) fn rail_backlog_h(&self, c: usize) -> f64 {
        let k = &self.model.corridors[c];
        let trains_ahead = (self.land.corridors[c].queued as f64 / k.train_capacity).floor();
        trains_ahead * 24.0 / k.trains_per_day().max(1e-9)
    }

    /// Loads a train from the head of the corridor's queue onto a free track.
    pub(in crate::sim::run) fn load_train(&mut self, c: usize) {
        let now = self.now();
        self.roll_day(c);
        let k = &self.model.corridors[c];
        let mut room = k.train_capacity.floor() as u64;
        let mut loads: Vec<(usize, u64)> = Vec::new();
        let mut freed: Vec<usize> = Vec::new();
        while room > 0 {
            let Some(&l) = self.land.corridors[c].queue.front() else {
                break;
            };
            let take = self.land.lots[l as usize].amount.min(room);
            let (t, cargo, slot, queued_at) = {
                let lot = &self.land.lots[l as usize];
                (lot.terminal, lot.cargo, lot.slot, lot.queued_at)
            };
            if self.stats.window.contains(SimTime(now)) {
                let cs = &mut self.stats.corridors[c];
                cs.loaded += take;
                cs.waited += i128::from(take) * i128::from(now - queued_at);
            }
            self.yard_out(t, cargo, take);
            match loads.iter_mut().find(|(s, _)| *s == slot) {
                Some(x) => x.1 += take,
                None => loads.push((slot, take)),
            }
            if !freed.contains(&t) {
                freed.push(t);
            }
            room -= take;
            let cs = &mut self.land.corridors[c];
            cs.queued -= take;
            let lot = &mut self.land.lots[l as usize];
            lot.amount -= take;
            if lot.amount == 0 {
                cs.queue.pop_front();
                self.land.free_lots.push(l);
            }
        }
        if loads.is_empty() {
            return;
        }
        let port = k.port.index();
        self.land.tracks_busy[port] += 1;
        let cs = &mut self.land.corridors[c];
        cs.trains_today += 1;
        cs.sets_out += 1;
        let train = Train {
            corridor: c,
            loads,
            since: now,
        };
        let id = match self.land.free_trains.pop() {
            Some(i) => {
                self.land.trains[i as usize] = train;
                i
            }
            None => {
                self.land.trains.push(train);
                (self.land.trains.len() - 1) as u32
            }
        };
        let at = now + SimDuration::from_hours(k.loading_h).0;
        self.land_at(at, LandEvent::TrainDeparts(id));
        for t in freed {
            self.yard_freed(t);
        }
    }

    pub(in crate::sim::run) fn train_departs(&mut self, id: u32) {
        let now = self.now();
        let (c, since) = {
            let t = &self.land.trains[id as usize];
            (t.corridor, t.since)
        };
        let loads = std::mem::take(&mut self.land.trains[id as usize].loads);
        self.land.trains[id as usize].since = -1;
        self.land.free_trains.push(id);
        let k = &self.model.corridors[c];
        let port = k.port.index();
        self.land.tracks_busy[port] -= 1;
        self.stats.track_busy[port] += self.stats.window.overlap(since, now);
        let in_window = self.stats.window.contains(SimTime(now));
        let mut carried = 0;
        for &(slot, amount) in &loads {
            self.stats.cargo_departs(slot, amount, now);
            if in_window {
                self.stats.slots[slot].by_mode[Mode::Rail as usize] += amount;
            }
            carried += amount;
        }
        if in_window {
            let cs = &mut self.stats.corridors[c];
            cs.trains += 1;
            cs.carried += carried;
        }
        match k.train_sets {
            Some(_) => {
                let back = now + SimDuration::from_hours(2.0 * k.transit_h).0;
                self.land_at(back, LandEvent::SetReturns(c as u32));
            }
            None => self.land.corridors[c].sets_out -= 1,
        }
        // A track is free: corridors waiting for one try again, in order.
        let waiting: Vec<usize> = self.land.track_waiters[port].drain(..).collect();
        for w in waiting {
            self.land.corridors[w].waiting_track = false;
            self.try_train(w);
        }
        self.try_train(c);
    }

    /// Sends rail cargo that has waited past the corridor's limit to the road gate.
    pub(in crate::sim::run) fn divert(&mut self, c: usize) {
        let now = self.now();
        loop {
            let Some(&l) = self.land.corridors[c].queue.front() else {
                return;
            };
            if self.land.lots[l as usize].divert_at > now {
                return;
            }
            let cs = &mut self.land.corridors[c];
            cs.queue.pop_front();
            let lot = &mut self.land.lots[l as usize];
            cs.queued -= lot.amount;
            lot.mode = Mode::Road;
            lot.diverted = true;
            let (t, cargo, amount) = (lot.terminal, lot.cargo, lot.amount);
            let at = self.serve(t, Mode::Road, cargo, amount);
            self.land_at(at, LandEvent::LotLeaves(l));
        }
    }
}
