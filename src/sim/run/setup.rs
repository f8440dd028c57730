//! Building a run's state from the model: call generators, berth queues, the random
//! streams, and the closures scheduled over the run.

use super::*;
use crate::model::{BerthAllocation, ClosureStops, Timing, fleet_mix};
use crate::sim::calendar::normalised;
use crate::sim::stats::{NORMAL_LOOKBACK_H, Recovery};

impl<'m> Sim<'m> {
    pub(super) fn new(
        model: &'m Model,
        year: u16,
        seed: u64,
        window: Window,
        warmup_h: f64,
        options: &SimOptions,
    ) -> Self {
        let mut gens = Vec::new();
        let mut groups = Vec::new();
        // This replication's demand: growth drawn where it is uncertain, keyed by what it
        // drives and not by the year, so each replication is one future through every year.
        let growth = model.growth_factors(year, seed);
        tramp_generators(model, year, &growth, seed, &mut gens, &mut groups);
        liner_generators(model, &growth, seed, &mut gens, &mut groups);
        let mut berth_groups = vec![Vec::new(); model.berths.len()];
        for (g, group) in groups.iter().enumerate() {
            for b in &group.berths {
                berth_groups[b.index()].push(g as u32);
            }
        }
        let berth_rng = berth_rates(model, seed);
        let (legs, leg_base) = Leg::all(model);
        let mut sim = Sim {
            model,
            sched: Scheduler::new(),
            gens,
            groups,
            berth_groups,
            berth_occupant: vec![NO_BERTH; model.berths.len()],
            berth_down: vec![0; model.berths.len()],
            berth_rng,
            ships: Vec::new(),
            work_holds: Vec::new(),
            free_ships: Vec::new(),
            next_seq: 0,
            ports: (0..model.ports.len())
                .map(|_| PortState::default())
                .collect(),
            channels: (0..model.areas.len())
                .map(|_| ChannelState::default())
                .collect(),
            stats: RunStats::new(model, window),
            warmup_h,
            warmup_ticks: SimTime::from_hours(warmup_h).0,
            calls: options.record_calls.then(Vec::new),
            error: None,
            land: landside::Landside::new(model, year, seed),
            max_events: u64::MAX,
            berth_refs: model
                .berths
                .iter()
                .map(|b| BerthRef::of(model, b))
                .collect(),
            sections: Section::all(model),
            legs,
            leg_base,
            through_yard: model.flows.iter().map(|f| f.through_yard()).collect(),
        };
        if options.daily_series {
            sim.stats.record_daily();
        }
        sim.start_generators();
        sim.start_landside();
        sim.start_tanks(&growth, seed);
        sim.schedule_closures(seed, window.end);
        sim
    }

    pub(super) fn start_generators(&mut self) {
        for g in 0..self.gens.len() {
            let horizon = self.gens[g].horizon;
            let first_call = match self.gens[g].kind {
                GenKind::Liner { service, .. } => self.model.services[service.index()]
                    .first_call_h
                    .map(|h| SimTime::from_hours(h).0),
                GenKind::Tramp {
                    timing: GenTiming::Stock,
                    ..
                } => continue, // its tank orders its calls
                GenKind::Tramp { .. } => None,
            };
            let first = match &mut self.gens[g].kind {
                GenKind::Tramp { .. } => {
                    let t = self.next_tramp_time(g, 0.0);
                    if let GenKind::Tramp { next_arrival_h, .. } = &mut self.gens[g].kind {
                        *next_arrival_h = t;
                    }
                    SimTime::from_hours(t).0
                }
                GenKind::Liner {
                    headway,
                    rng,
                    next_slot,
                    ..
                } => {
                    // The service's weekly slot: as given, or a random phase in the first headway.
                    let phase = match first_call {
                        Some(t) => t,
                        None => (rng.random::<f64>() * headway.0 as f64) as i64,
                    };
                    *next_slot = phase;
                    phase
                }
            };
            let at = (first - horizon).max(0);
            self.sched
                .schedule_in(SimDuration(at), P_ARRIVAL, Event::Announce(g as u32));
        }
    }

    /// Books a closure of port `p` from `start_h` (hours since the run start) for `hours`.
    fn schedule_closure(&mut self, p: usize, start_h: f64, hours: f64, stops: ClosureStops) {
        let start = SimTime::from_hours(start_h);
        let stop = start + SimDuration::from_hours(hours);
        let (c, h) = (stops.channel, stops.handling);
        self.sched.schedule_in(
            start - SimTime::ZERO,
            P_CLOSURE,
            Event::ClosureStart(p as u32, c, h),
        );
        self.sched.schedule_in(
            stop - SimTime::ZERO,
            P_CLOSURE,
            Event::ClosureEnd(p as u32, c, h),
        );
    }

    /// Tracks port `p`'s recovery from an event `start_h` hours into the design year lasting
    /// `hours`: books its look-back, start and end.
    fn track_recovery(&mut self, p: usize, start_h: f64, hours: f64) {
        let start = SimTime::from_hours(self.warmup_h + start_h).0;
        let end = start + SimDuration::from_hours(hours).0;
        let r = Recovery::new(p, start, end);
        if self.stats.port_queues[p].daily.is_empty() {
            self.stats.port_queues[p].daily = vec![0; 365];
        }
        let k = self.stats.recoveries.len() as u32;
        for (at, phase) in [(r.lookback_start(), 0), (start, 1), (end, 2)] {
            self.sched
                .schedule_in(SimDuration(at), P_CLOSURE, Event::Recovery(k, phase));
        }
        self.stats.recoveries.push(r);
    }

    pub(super) fn schedule_closures(&mut self, seed: u64, end: i64) {
        let model = self.model;
        let end_h = end as f64 / TICKS_PER_HOUR as f64;
        // Closures and outages on dates: hours into the design year, after the warm-up.
        let mut events: Vec<Vec<(f64, f64)>> = vec![Vec::new(); model.ports.len()];
        for (p, port) in model.ports.iter().enumerate() {
            for d in &port.disruptions {
                self.schedule_closure(p, self.warmup_h + d.start_h, d.duration_h, d.stops);
                events[p].push((d.start_h, d.start_h + d.duration_h));
            }
        }
        for o in &model.berth_outages {
            let mut ports: Vec<usize> = o
                .berths
                .iter()
                .map(|b| model.berths[b.index()].port.index())
                .collect();
            ports.sort_unstable();
            ports.dedup();
            for p in ports {
                events[p].push((o.start_h, o.start_h + o.duration_h));
            }
        }
        for (p, list) in events.iter_mut().enumerate() {
            for (start_h, end_h) in episodes(list) {
                self.track_recovery(p, start_h, end_h - start_h);
            }
        }
        let dated = model
            .berth_outages
            .iter()
            .map(|o| (o.start_h, o.duration_h, true))
            .chain(
                model
                    .rail_outages
                    .iter()
                    .map(|o| (o.start_h, o.duration_h, false)),
            );
        let mut counts = [0u32; 2];
        for (start_h, duration_h, berth) in dated {
            let k = &mut counts[usize::from(!berth)];
            let event = |starts| {
                if berth {
                    Event::BerthOutage(*k, starts)
                } else {
                    Event::RailOutage(*k, starts)
                }
            };
            let start = SimTime::from_hours(self.warmup_h + start_h);
            let stop = start + SimDuration::from_hours(duration_h);
            self.sched
                .schedule_in(start - SimTime::ZERO, P_CLOSURE, event(true));
            self.sched
                .schedule_in(stop - SimTime::ZERO, P_CLOSURE, event(false));
            *k += 1;
        }
        for (p, port) in model.ports.iter().enumerate() {
            for regime in &port.closures {
                let mut rng = stream(seed, &format!("closure/{}/{}", port.name, regime.name));
                // Walk month by month over the run (warm-up months belong to the previous year).
                let first_year_offset = -((self.warmup_h / (365.0 * 24.0)).ceil());
                let mut year_off = first_year_offset;
                'years: loop {
                    for (m, &days) in MONTH_DAYS.iter().enumerate() {
                        let m_start = year_off * 365.0 * 24.0 + month_start_h(m) + self.warmup_h;
                        let m_len = f64::from(days) * 24.0;
                        if m_start >= end_h {
                            break 'years;
                        }
                        if m_start + m_len <= 0.0 || !regime.months.contains(&(m as u8 + 1)) {
                            continue;
                        }
                        let mut t = m_start;
                        loop {
                            let e: f64 = Exp1.sample(&mut rng);
                            t += e * m_len / regime.episodes_per_month;
                            if t >= m_start + m_len {
                                break;
                            }
                            let d = regime.duration_h.sample(&mut rng);
                            if t < 0.0 || t >= end_h || d <= 0.0 {
                                continue;
                            }
                            self.schedule_closure(p, t, d, regime.stops);
                        }
                    }
                    year_off += 1.0;
                }
            }
        }
    }
}

/// One generator per (tramp flow, ship class), each with a berth queue at the flow's port and
/// at every alternative port its class fits.
fn tramp_generators(
    model: &Model,
    year: u16,
    growth: &[f64],
    seed: u64,
    gens: &mut Vec<Generator>,
    groups: &mut Vec<Group>,
) {
    let hours_per_year = 365.0 * 24.0;
    for (fi, flow) in model.flows.iter().enumerate() {
        let Arrivals::Tramp {
            ships,
            fleet,
            seasonality,
            timing,
        } = &flow.arrivals
        else {
            continue;
        };
        // The design year's mix (the fleet as it has grown by then).
        let ships = fleet_mix(ships, fleet, model.settings.base_year, year);
        let growth = growth[fi];
        // Normalise the monthly factors to a day-weighted mean of 1, so the annual volume
        // is what the flow states whatever the pattern.
        let season = normalised(seasonality);
        let season_max = season.iter().copied().fold(0.0, f64::max);
        for &(class_id, share) in &ships {
            let class = &model.ship_classes[class_id.index()];
            let calls_per_yr = flow.volume_per_yr * growth * share / class.parcel.mean();
            if calls_per_yr <= 0.0 {
                continue;
            }
            let key = format!("{}/{}", flow.name, class.name);
            gens.push(Generator {
                uses_yard: flow.through_yard(),
                several_flows: false,
                land_exports: flow.hinterland.is_some() && flow.direction == Direction::Export,
                horizon: landside::export_horizon(model, std::slice::from_ref(&FlowId(fi as u32))),
                kind: GenKind::Tramp {
                    flow: FlowId(fi as u32),
                    class: class_id,
                    mean_gap_h: hours_per_year / calls_per_yr,
                    season,
                    season_max,
                    arrivals: stream(seed, &format!("arrivals/{key}")),
                    parcels: stream(seed, &format!("parcel/{key}")),
                    next_arrival_h: 0.0,
                    timing: match timing {
                        Timing::Poisson => GenTiming::Poisson,
                        Timing::Programme { jitter_h } => GenTiming::Programme {
                            jitter: jitter_h.clone(),
                            slot: -1.0,
                        },
                        Timing::Stock(_) => GenTiming::Stock,
                    },
                },
                class: class_id,
                candidates: Vec::new(),
                cargo: flow.cargo,
                service_h: flow
                    .service_h
                    .clone()
                    .map(|d| (d, stream(seed, &format!("service/{key}")))),
            });
            // A berth queue at the flow's port, and at each alternative port.
            let ports = std::iter::once((flow.port, flow.terminal, flow.haul_cost_per_t)).chain(
                flow.alternatives
                    .iter()
                    .map(|a| (a.port, None, a.haul_cost_per_t)),
            );
            for (k, (port, terminal, haul)) in ports.enumerate() {
                let berths = model.compatible_berths(port, terminal, class, flow.cargo);
                if k > 0 && berths.is_empty() {
                    continue; // this class does not fit there: it keeps to its own port
                }
                let service_at = |b: &BerthId| {
                    let b = &model.berths[b.index()];
                    b.mooring_h + class.parcel.mean() / b.rate_for(class, flow.cargo)
                };
                let mean_service_h = match &flow.service_h {
                    Some(d) => d.mean(),
                    // Spread calls keep the sections about equally busy, so a berth takes
                    // calls in inverse proportion to its service time: the harmonic mean.
                    None if !berths.is_empty() && berths.iter().all(|&b| spreads_at(model, b)) => {
                        berths.len() as f64
                            / berths.iter().map(|b| 1.0 / service_at(b)).sum::<f64>()
                    }
                    None => berths.first().map_or(f64::INFINITY, service_at),
                };
                let g = gens.len() - 1;
                gens[g].candidates.push(Candidate {
                    port_choice: k,
                    group: groups.len(),
                    slot: slot_of(port.index(), flow.cargo),
                    haul_cost: haul,
                    mean_service_h,
                });
                groups.push(Group {
                    queue: VecDeque::new(),
                    spread: berths.iter().any(|&b| spreads_at(model, b)),
                    berths,
                    priority: 1,
                });
            }
        }
    }
}

/// One generator per liner service that sails, with its berth queue.
fn liner_generators(
    model: &Model,
    growth: &[f64],
    seed: u64,
    gens: &mut Vec<Generator>,
    groups: &mut Vec<Group>,
) {
    for (si, svc) in model.services.iter().enumerate() {
        if svc.flows.is_empty() && svc.onward_flows.is_empty() {
            continue; // all its cargo goes through the hub (hub-feeder policy): no calls
        }
        let calls_per_yr = svc.calls_per_week * 365.0 / 7.0;
        let means: Vec<(FlowId, f64)> = svc
            .flows
            .iter()
            .map(|&f| {
                let flow = &model.flows[f.index()];
                (f, flow.volume_per_yr * growth[f.index()] / calls_per_yr)
            })
            .collect();
        // An onward call takes what waits in the yard, up to twice its mean share.
        let onward: Vec<(FlowId, u64)> = svc
            .onward_flows
            .iter()
            .map(|&f| {
                let flow = &model.flows[f.index()];
                let mean = flow.volume_per_yr * growth[f.index()] / calls_per_yr;
                (f, (2.0 * mean).ceil() as u64)
            })
            .collect();
        let class = &model.ship_classes[svc.ship_class.index()];
        let cargo = model.ship_classes[svc.ship_class.index()].cargo;
        gens.push(Generator {
            uses_yard: !onward.is_empty()
                || svc
                    .flows
                    .iter()
                    .any(|f| model.flows[f.index()].through_yard()),
            several_flows: svc.flows.len() + onward.len() > 1,
            land_exports: svc.flows.iter().any(|f| {
                let flow = &model.flows[f.index()];
                flow.hinterland.is_some() && flow.direction == Direction::Export
            }),
            horizon: landside::export_horizon(model, &svc.flows),
            kind: GenKind::Liner {
                service: ServiceId(si as u32),
                next_slot: 0,
                headway: SimDuration::from_hours(168.0 / svc.calls_per_week),
                rng: stream(seed, &format!("liner/{}", svc.name)),
                sizes: stream(seed, &format!("call-size/{}", svc.name)),
                means,
                onward,
            },
            class: svc.ship_class,
            cargo,
            service_h: None,
            candidates: vec![Candidate {
                port_choice: 0,
                group: groups.len(),
                slot: slot_of(svc.port.index(), cargo),
                haul_cost: 0.0,
                mean_service_h: 0.0,
            }],
        });
        let mut berths = model.compatible_berths(svc.port, svc.terminal, class, cargo);
        if let Some(k) = svc.section {
            // Contracted to one operator: its berths only.
            berths.retain(|b| model.berths[b.index()].section == k);
        }
        groups.push(Group {
            queue: VecDeque::new(),
            spread: berths.iter().any(|&b| spreads_at(model, b)),
            berths,
            priority: 0,
        });
    }
}

/// Each berth's rate noise: a gamma factor of mean 1 and the berth's coefficient of variation.
fn berth_rates(model: &Model, seed: u64) -> Vec<Option<(StreamRng, Dist)>> {
    model
        .berths
        .iter()
        .map(|b| {
            (b.rate_cv > 0.0).then(|| {
                (
                    stream(seed, &format!("berth-rate/{}", b.name)),
                    Dist::gamma(1.0, b.rate_cv)
                        .expect("validated: rate_cv is 0 or from 0.001 to 2"),
                )
            })
        })
        .collect()
}

/// A port's dated events as recovery episodes: events that overlap, or start within the
/// normal level's look-back (28 days) after the one before ends, are one episode — its normal
/// level from before the first, its recovery timed from the last one's end.
fn episodes(events: &mut [(f64, f64)]) -> Vec<(f64, f64)> {
    events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut out: Vec<(f64, f64)> = Vec::new();
    for &(start, end) in events.iter() {
        match out.last_mut() {
            Some(last) if start < last.1 + NORMAL_LOOKBACK_H => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

/// Whether berth `b` is at a terminal that spreads its calls over its quay sections.
fn spreads_at(model: &Model, b: BerthId) -> bool {
    let t = model.berths[b.index()].terminal;
    model.terminals[t.index()].berth_allocation == BerthAllocation::Spread
}
