//! Cargo between yard and hinterland: import lots dwell and leave by gate, pipeline or
//! rail; export lots travel to the port ahead of their ship and wait for yard space.

use super::*;

impl Sim<'_> {
    /// Import cargo is ashore: split it by mode and start its dwell, by the hinterland leg of
    /// the port the ship went to.
    pub(in crate::sim::run) fn start_dwell(&mut self, ship: u32, flow: FlowId, amount: u64) {
        let now = self.now();
        let f = &self.model.flows[flow.index()];
        let h = self
            .hinterland_of(ship, flow)
            .expect("only hinterland flows dwell");
        // The mode: by choice on the costs of now (the rail corridor's backlog included), or
        // by the fixed split.
        let backlog = h
            .corridor
            .map_or(0.0, |c| self.rail_backlog_h(c.index(), RailDirection::Out));
        // A rail path covers the flow's own port: a call sent to another port (integrated
        // operation) takes that port's leg unshifted.
        let own_port = self.ships[ship as usize].port_choice == 0;
        let shift = if own_port {
            self.land.rail_shift[flow.index()]
        } else {
            0.0
        };
        let leg = self.leg_index(ship, flow);
        let s = self.leg_shares(leg, backlog, shift);
        let parts = split(amount, [s.rail, s.road, s.pipeline]);
        let (terminal, cargo, slot) = (
            h.terminal.index(),
            f.cargo,
            self.ships[ship as usize].slot as usize,
        );
        let port = self.model.terminals[terminal].port.index();
        let place = (port, h.region.index(), self.model.regions.len());
        self.stats
            .modes_chosen(flow.index(), place, cargo, parts, now);

        let corridor = h.corridor.map(CorridorId::index);
        for (i, &part) in parts.iter().enumerate() {
            if part == 0 {
                continue;
            }
            let mode = [Mode::Rail, Mode::Road, Mode::Pipeline][i];
            let priced_by = self.legs[leg].prices[i].map(|_| leg);
            let dwell =
                SimDuration::from_hours(h.dwell_h.sample(&mut self.land.dwell_rng[flow.index()]));
            let lot = Lot::new(
                Some(terminal),
                cargo,
                slot,
                part,
                mode,
                u32::MAX,
                corridor,
                priced_by,
            );
            let lot = self.land.new_lot(lot);
            self.land_at(now + dwell.0, LandEvent::LotReady(lot));
        }
    }

    /// A FIFO fluid server (gate or pipeline) at terminal `t`: when `amount` starting no
    /// earlier than now will have passed. `None` rate: no limit.
    #[inline(always)]
    pub(super) fn serve(&mut self, t: usize, mode: Mode, cargo: CargoClass, amount: u64) -> i64 {
        let now = self.now();
        let term = &self.model.terminals[t];
        let rate = match mode {
            Mode::Road => term.gate.map(|g| g.rate_per_h(cargo)),
            Mode::Pipeline => term.pipeline_t_per_h,
            Mode::Rail => None,
        };
        let Some(rate) = rate else { return now };
        let y = &mut self.land.yards[t];
        let free_at = if mode == Mode::Road {
            &mut y.gate_free_at
        } else {
            &mut y.pipe_free_at
        };
        let finish = (*free_at).max(now) + SimDuration::from_hours(amount as f64 / rate).0;
        *free_at = finish;
        finish
    }

    pub(in crate::sim::run) fn lot_ready(&mut self, l: u32) {
        let lot = self.land.lots[l as usize].clone();
        match lot.mode {
            Mode::Road | Mode::Pipeline => {
                let at = self.serve(lot.terminal(), lot.mode, lot.cargo, lot.amount);
                self.land_at(at, LandEvent::LotLeaves(l));
            }
            Mode::Rail => {
                let c = lot
                    .corridor()
                    .expect("validation gives every rail share a corridor");
                self.join_rail_queue(l, c, RailDirection::Out);
            }
        }
    }

    pub(in crate::sim::run) fn lot_leaves(&mut self, l: u32) {
        let now = self.now();
        let lot = self.land.lots[l as usize].clone();
        self.count_moved(&lot, now);
        self.yard_out(lot.terminal(), lot.cargo, lot.amount);
        self.stats.cargo_departs(lot.slot(), lot.amount, now);
        self.land.free_lots.push(l);
        self.yard_freed(lot.terminal());
    }

    /// A lot's cargo is counted as it leaves the port (an import) or reaches it (an export):
    /// its land cost — its mode's static cost and what it was charged on the way — and its
    /// mode, booked together (inside the measured period).
    #[inline(always)]
    fn count_moved(&mut self, lot: &Lot, now: i64) {
        if let Some(p) = self.price_of(lot) {
            let cost = lot.amount as f64 * p.unit_cost + lot.pending_cny;
            self.stats.land_cost(lot.slot(), cost, now);
        }
        if self.stats.window.contains(SimTime(now)) {
            let s = &mut self.stats.slots[lot.slot()];
            s.by_mode[lot.mode as usize] += lot.amount;
            if lot.diverted {
                s.diverted += lot.amount;
            }
            if let Some(c) = lot.corridor() {
                self.stats.corridors[c].by_mode[lot.mode as usize] += lot.amount;
            }
        }
    }

    /// Sends a new call's export cargo towards the yard, to arrive ahead of the ship.
    pub(in crate::sim::run) fn dispatch_exports(&mut self, ship: u32) {
        let now = self.now();
        let model = self.model;
        let horizon = self.gens[self.ships[ship as usize].source as usize].horizon;
        let arrival = self.ships[ship as usize].arrival;
        for i in 0..self.ships[ship as usize].lots.len() {
            let l = self.ships[ship as usize].lots[i];
            let (flow, amount) = (l.flow, l.amount);
            let f = &model.flows[flow.index()];
            let Some(h) = f
                .hinterland
                .as_ref()
                .filter(|_| f.direction == Direction::Export)
            else {
                continue;
            };
            if amount == 0 {
                continue;
            }
            let lead =
                SimDuration::from_hours(h.dwell_h.sample(&mut self.land.dwell_rng[flow.index()]))
                    .0
                    .min(horizon);
            let at = (arrival - lead).max(now);
            // Exports see the backlog of the inbound trains they would ride.
            let corridor = h.corridor.map(CorridorId::index);
            let backlog = corridor.map_or(0.0, |c| self.rail_backlog_h(c, RailDirection::In));
            // The flow's own port's leg (port choice 0).
            let leg = self.leg_base[flow.index()] as usize;
            let s = self.leg_shares(leg, backlog, self.land.rail_shift[flow.index()]);
            let parts = split(amount, [s.rail, s.road, s.pipeline]);
            let place = (f.port.index(), h.region.index(), model.regions.len());
            self.stats
                .modes_chosen(flow.index(), place, f.cargo, parts, now);
            let slot = slot_of(f.port.index(), f.cargo);
            for (k, &part) in parts.iter().enumerate() {
                if part == 0 {
                    continue;
                }
                let mode = [Mode::Rail, Mode::Road, Mode::Pipeline][k];
                let priced_by = self.legs[leg].prices[k].map(|_| leg);
                let lot = Lot::new(
                    Some(h.terminal.index()),
                    f.cargo,
                    slot,
                    part,
                    mode,
                    ship,
                    corridor,
                    priced_by,
                );
                let lot = self.land.new_lot(lot);
                self.work_holds[ship as usize].exports_pending += 1;
                let rail_lead = match (mode, corridor) {
                    (Mode::Rail, Some(c)) => self.land.ticks[c].inbound_lead,
                    _ => 0,
                };
                if rail_lead > 0 && at - rail_lead >= 0 {
                    // By rail: it sets out early enough to ride an inbound train in time.
                    self.land_at((at - rail_lead).max(now), LandEvent::RailOrigin(lot));
                } else {
                    // By road or pipeline; or by rail but due to set out before the run began
                    // (the first calls' cargo was already on its way): it reaches the port
                    // when planned.
                    self.land_at(at, LandEvent::ExportArrives(lot));
                }
            }
        }
    }

    pub(in crate::sim::run) fn export_arrives(&mut self, l: u32) {
        let now = self.now();
        let lot = self.land.lots[l as usize].clone();
        self.count_moved(&lot, now);
        self.stats.cargo_arrives(lot.slot(), lot.amount, now);
        self.land.lots[l as usize].at_port = true;
        let at = self.serve(lot.terminal(), lot.mode, lot.cargo, lot.amount);
        if at == now {
            // Off a train or through an unlimited gate: in the yard at once.
            self.export_in_yard(l);
        } else {
            self.land_at(at, LandEvent::ExportInYard(l));
        }
    }

    /// An export lot reaches the terminal: into the yard if there is room or its ship is
    /// already at berth; otherwise it waits at the gate for space (the terminal stops
    /// receiving exports for later ships when its yard is full).
    #[inline(always)]
    pub(in crate::sim::run) fn export_in_yard(&mut self, l: u32) {
        let lot = &self.land.lots[l as usize];
        let (t, cargo, amount, ship) = (lot.terminal(), lot.cargo, lot.amount, lot.ship);
        // (The yard first: the ship was announced days ago and has left the nearer caches,
        // and where the cargo fits, whether it is at berth does not matter.)
        if self.fits(t, cargo, amount) || self.ships[ship as usize].berthed_at >= 0 {
            self.admit_export(l);
        } else {
            self.land.yards[t].export_queue.push_back(l);
        }
    }

    /// Export lot `l` enters its yard.
    pub(in crate::sim::run) fn admit_export(&mut self, l: u32) {
        let lot = self.land.lots[l as usize].clone();
        self.yard_in(lot.terminal(), lot.cargo, lot.amount);
        self.land.lots[l as usize].at_port = false;
        self.land.free_lots.push(l);
        let h = &mut self.work_holds[lot.ship as usize];
        h.exports_pending -= 1;
        if h.exports_pending == 0 && h.waiting_exports {
            self.resume_work(lot.ship);
        } else if h.exports_pending == 0 && h.blocked_since >= 0 {
            // Its discharge is blocked on a full yard, and now its exports are all in: take it
            // out of the yard's queue so it loads them first (dual cycling). Otherwise it would
            // wait for space that only its own loading — or no one's — can free.
            if self.leave_yard_queue(lot.ship) {
                self.resume_work(lot.ship);
            }
        }
    }

    /// A ship at berth needs its exports: admit those waiting at any gate, space or not.
    pub(in crate::sim::run) fn admit_exports_of(&mut self, ship: u32) {
        for t in 0..self.land.yards.len() {
            if self.land.yards[t].export_queue.is_empty() {
                continue;
            }
            let mine: Vec<u32> = self.land.yards[t]
                .export_queue
                .iter()
                .copied()
                .filter(|&l| self.land.lots[l as usize].ship == ship)
                .collect();
            if mine.is_empty() {
                continue;
            }
            self.land.yards[t]
                .export_queue
                .retain(|l| !mine.contains(l));
            for l in mine {
                self.admit_export(l);
            }
        }
    }
}
