//! Terminal yards: space reserved by discharge steps, ships blocked on a full yard (and
//! their overflow after the terminal's limit), space freed as cargo leaves.

use super::*;

/// Stock × ticks, both non-negative (ticks: a positive piece of time): a widening 64 × 64-bit
/// unsigned product (one multiply), the same value as the signed 128-bit one.
#[inline]
fn stock_area(units: u64, ticks: i64) -> i128 {
    (u128::from(units) * u128::from(ticks as u64)) as i128
}

impl Sim<'_> {
    /// Brings a yard's time integrals up to `now`.
    ///
    /// The common case is done here, inline: the time since the last touch lies inside the
    /// month last booked to, no daily series is kept and no ship waits on the yard — one
    /// piece of that month's integral, exactly what `yard_integrate` would add. Anything
    /// else goes to `yard_integrate`. (Always inline: out of line, the call costs a third of
    /// the common case.)
    #[inline(always)]
    pub(in crate::sim::run) fn yard_touch(&mut self, t: usize, now: i64) {
        let y = &mut self.land.yards[t];
        if now <= y.last {
            return; // already up to date (touched at this tick): nothing to add
        }
        let w = self.stats.window;
        let (a, b) = (y.last.max(w.start), now.min(w.end));
        let (m, from, to) = y.month;
        let ts = &mut self.stats.terminals[t];
        if a >= from && b <= to && y.waiters.is_empty() && ts.yard_area_daily.is_empty() {
            if a < b {
                for (area_m, &units) in ts.yard_area_month[m].iter_mut().zip(&y.stock) {
                    *area_m += stock_area(units, b - a);
                }
            }
            y.last = now;
        } else {
            self.yard_integrate(t, now);
        }
    }

    /// `yard_touch` for a yard last brought up to date before `now`.
    #[inline(never)]
    fn yard_integrate(&mut self, t: usize, now: i64) {
        let w = self.stats.window;
        let y = &mut self.land.yards[t];
        let ts = &mut self.stats.terminals[t];
        // (The whole period's integral, `yard_area`, is the sum of the months', added up once
        // at the end: `finish_landside`.)
        let area = stock_area;
        let stock = y.stock;
        let (a, b) = (y.last.max(w.start), now.min(w.end));
        let dt = (b - a).max(0); // w.overlap(y.last, now)
        let (m, from, to) = y.month;
        if a >= from && b <= to {
            // Inside the month last booked to: `by_month` would give this one piece.
            if a < b {
                for (area_m, &units) in ts.yard_area_month[m].iter_mut().zip(&stock) {
                    *area_m += area(units, b - a);
                }
            }
        } else {
            w.by_month(y.last, now, |m, d| {
                for (area_m, &units) in ts.yard_area_month[m].iter_mut().zip(&stock) {
                    *area_m += area(units, d);
                }
            });
            if a < b {
                y.month = w.month_span(b - 1);
            }
        }
        if !ts.yard_area_daily.is_empty() {
            let daily = &mut ts.yard_area_daily;
            w.by_day(y.last, now, |d, dt| {
                for (area, &units) in daily[d].iter_mut().zip(&stock) {
                    *area += i128::from(units) * i128::from(dt);
                }
            });
        }
        if !y.waiters.is_empty() {
            ts.yard_full += dt;
        }
        y.last = y.last.max(now);
    }

    pub(in crate::sim::run) fn fits(&self, t: usize, cargo: CargoClass, amount: u64) -> bool {
        let y = &self.land.yards[t];
        let u = unit(cargo);
        let used = y.stock[u] + y.reserved[u];
        // A step larger than the whole yard may still go into an empty one (no deadlock).
        used == 0 || (used + amount) as f64 <= self.model.terminals[t].yard.capacity(cargo)
    }

    /// The size of the ship's next step on its current lot: `STEP_H` hours of work or
    /// `STEP_YARD_SHARE` of the yard, whichever is more, and never more than is left.
    #[inline(always)]
    pub(in crate::sim::run) fn step_amount(&self, ship: u32) -> u64 {
        let s = &self.ships[ship as usize];
        let flow = s.lots[s.cursor].flow;
        let by_time = s.rate * STEP_H;
        let by_yard = self.leg(ship, flow).step_by_yard;
        let step = by_time.max(by_yard);
        if step >= s.lot_left as f64 {
            s.lot_left
        } else {
            ((step + 0.5) as u64).max(1)
        }
    }

    /// Reserves yard space for a discharge step; false if it does not fit.
    pub(in crate::sim::run) fn reserve_yard(
        &mut self,
        t: usize,
        cargo: CargoClass,
        amount: u64,
    ) -> bool {
        if !self.fits(t, cargo, amount) {
            return false;
        }
        self.land.yards[t].reserved[unit(cargo)] += amount;
        true
    }

    /// Cargo enters yard `t` (its integrals brought up to now first).
    #[inline(always)]
    pub(in crate::sim::run) fn yard_in(&mut self, t: usize, cargo: CargoClass, amount: u64) {
        let now = self.now();
        self.yard_touch(t, now);
        let y = &mut self.land.yards[t];
        y.stock[unit(cargo)] += amount;
        y.by_cargo[cargo.index()] += amount;
    }

    /// Cargo leaves yard `t`; taking more of a cargo than the yard holds is an invariant
    /// broken.
    pub(in crate::sim::run) fn yard_out(&mut self, t: usize, cargo: CargoClass, amount: u64) {
        let now = self.now();
        self.yard_touch(t, now);
        let y = &mut self.land.yards[t];
        match (
            y.stock[unit(cargo)].checked_sub(amount),
            y.by_cargo[cargo.index()].checked_sub(amount),
        ) {
            (Some(left), Some(of_cargo)) => {
                y.stock[unit(cargo)] = left;
                y.by_cargo[cargo.index()] = of_cargo;
                if self.stats.window.contains(SimTime(now)) {
                    self.stats.terminals[t].yard_out[unit(cargo)] += amount;
                }
            }
            _ => {
                self.error = Some(SimError::Invariant(format!(
                    "yard of {} holds less {cargo} than leaves it",
                    self.model.terminals[t].name
                )))
            }
        }
    }

    /// A discharge step's cargo is in the yard.
    pub(in crate::sim::run) fn land_in_yard(
        &mut self,
        terminal: usize,
        cargo: CargoClass,
        amount: u64,
    ) {
        self.land.yards[terminal].reserved[unit(cargo)] -= amount;
        self.yard_in(terminal, cargo, amount);
    }

    /// Export cargo leaves the yard onto a ship.
    pub(in crate::sim::run) fn take_from_yard(&mut self, t: usize, cargo: CargoClass, amount: u64) {
        self.yard_out(t, cargo, amount);
        self.yard_freed(t);
    }

    /// A ship's discharge waits for space in yard `t`.
    pub(in crate::sim::run) fn block_on_yard(&mut self, ship: u32, t: usize) {
        let now = self.now();
        self.yard_touch(t, now);
        self.work_holds[ship as usize].blocked_since = now;
        let s = &mut self.ships[ship as usize];
        s.block_seq = s.block_seq.wrapping_add(1);
        let seq = s.block_seq;
        self.land.yards[t].waiters.push_back(ship);
        if self.land.tank_terminal[t] {
            return; // a tank never overflows: the ship waits for room
        }
        let limit = self.model.terminals[t].yard_overflow_after_h;
        self.sched.schedule_in(
            SimDuration::from_hours(limit),
            P_LAND,
            Event::YardOverflow(ship, seq),
        );
    }

    /// A ship blocked on a full yard (block number `seq`) has waited the terminal's limit: the
    /// terminal gives it overflow space and its discharge resumes (unless space came first).
    pub(in crate::sim::run) fn on_yard_overflow(&mut self, ship: u32, seq: u32) {
        let i = ship as usize;
        if self.ships[i].block_seq != seq || self.work_holds[i].blocked_since < 0 {
            return; // resumed (and perhaps blocked again) since: a stale timer
        }
        if self.leave_yard_queue(ship) {
            self.ships[ship as usize].overflow = true;
            self.resume_work(ship);
        }
    }

    /// Takes a ship blocked on its current lot's yard out of that yard's queue (closing the
    /// yard's full-time integral first); false if it is not queued there.
    pub(in crate::sim::run) fn leave_yard_queue(&mut self, ship: u32) -> bool {
        let s = &self.ships[ship as usize];
        let Some(t) = self.yard_of(ship, s.lots[s.cursor].flow) else {
            return false;
        };
        let now = self.now();
        self.yard_touch(t.index(), now);
        let waiters = &mut self.land.yards[t.index()].waiters;
        match waiters.iter().position(|&w| w == ship) {
            Some(pos) => {
                waiters.remove(pos);
                true
            }
            None => false,
        }
    }

    /// Reserves yard space for a discharge step beyond the yard's capacity (overflow).
    pub(in crate::sim::run) fn force_reserve_yard(
        &mut self,
        t: usize,
        cargo: CargoClass,
        amount: u64,
    ) {
        self.land.yards[t].reserved[unit(cargo)] += amount;
    }

    /// Space was freed in yard `t`: resume blocked ships, first come first served, then admit
    /// exports waiting at the gate.
    pub(in crate::sim::run) fn yard_freed(&mut self, t: usize) {
        let now = self.now();
        while let Some(&ship) = self.land.yards[t].waiters.front() {
            let s = &self.ships[ship as usize];
            let cargo = self.model.flows[s.lots[s.cursor].flow.index()].cargo;
            let amount = self.step_amount(ship);
            if !self.fits(t, cargo, amount) {
                return;
            }
            self.yard_touch(t, now);
            self.land.yards[t].waiters.pop_front();
            self.resume_work(ship);
        }
        // Then exports waiting at the gate, first come first served, while they fit.
        while let Some(&l) = self.land.yards[t].export_queue.front() {
            let lot = &self.land.lots[l as usize];
            if !self.fits(t, lot.cargo, lot.amount) {
                return;
            }
            self.land.yards[t].export_queue.pop_front();
            self.admit_export(l);
        }
    }
}
