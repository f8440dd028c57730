//! The scenario file as written: a mirror of the TOML, before any name is resolved.
//!
//! Every struct rejects unknown keys. Values that are checked after parsing carry their
//! position (`Spanned`) so that a semantic error can point at its line and column.

use serde::Deserialize;
use toml::Spanned;

/// A number with its position in the file.
pub type SNum = Spanned<f64>;
/// A string with its position in the file.
pub type SStr = Spanned<String>;

mod flows;

pub use flows::{RawFleetYear, RawFlow, RawHub, RawLeg, RawShipShare, RawStock};

/// The whole file.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, expecting = "a scenario")]
pub struct RawScenario {
    /// Scenario name (defaults to the file's stem).
    pub name: Option<SStr>,
    /// `independent` (default) or `integrated`.
    pub policy: Option<SStr>,
    /// Free text.
    #[serde(default)]
    pub description: String,
    /// Run settings.
    #[serde(default)]
    pub run: RawRun,
    /// Unit conversions.
    #[serde(default)]
    pub units: RawUnits,
    /// Ship classes.
    #[serde(default)]
    pub ship_classes: Vec<RawShipClass>,
    /// Ports.
    #[serde(default)]
    pub ports: Vec<RawPort>,
    /// Liner services.
    #[serde(default)]
    pub services: Vec<RawService>,
    /// Demand flows.
    #[serde(default)]
    pub flows: Vec<RawFlow>,
    /// Hinterland regions.
    #[serde(default)]
    pub regions: Vec<RawRegion>,
    /// Rail corridors.
    #[serde(default)]
    pub corridors: Vec<RawCorridor>,
    /// Hinterland mode choice (none: every flow's mode split is fixed).
    pub mode_choice: Option<Spanned<RawModeChoice>>,
    /// Planning criteria.
    #[serde(default)]
    pub planning: RawPlanning,
    /// Demand growth after the base year.
    #[serde(default)]
    pub growth: RawGrowth,
    /// What time, cargo and emissions are worth, for the value of projects.
    pub economics: Option<Spanned<RawEconomics>>,
    /// Emission factors at berth.
    #[serde(default)]
    pub emissions: RawEmissions,
    /// Goals.
    #[serde(default)]
    pub targets: Vec<RawTarget>,
    /// Demand as it went, by port(s) and cargo class.
    #[serde(default)]
    pub demand_paths: Vec<RawDemandPath>,
    /// Rail volumes as they went, by port(s) and cargo class.
    #[serde(default)]
    pub rail_paths: Vec<RawRailPath>,
    /// Events on dates: a port's channel and/or handling closed (a typhoon, a severe ice spell).
    #[serde(default)]
    pub disruptions: Vec<RawDisruption>,
    /// The projects this scenario includes, by name.
    #[serde(default)]
    pub projects: Vec<SStr>,
    /// Project definitions.
    #[serde(default)]
    pub project: Vec<RawProject>,
}

/// `[economics]`: what a project's benefits are worth.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an `[economics]` table")]
pub struct RawEconomics {
    /// Real discount rate a year (0.06 = 6 %).
    pub discount_rate: SNum,
    /// Ship time for classes without their own `cost_per_h`: CNY an hour per 1,000 t of
    /// deadweight.
    pub ship_cost_cny_per_kdwt_h: Option<SNum>,
    /// The value of cargo's time aboard a waiting ship, CNY per tonne-hour.
    pub cargo_value_cny_per_t_h: Option<SNum>,
    /// The price of CO₂, CNY a tonne.
    pub co2_cny_per_t: Option<SNum>,
    /// What a tonne of a tank's send-out not made costs its region (the fuel bought or
    /// forgone elsewhere), CNY.
    pub unserved_send_out_cny_per_t: Option<SNum>,
    /// Where the figures come from.
    #[serde(default)]
    pub source: String,
}

/// `[[project]]`: a named overlay in service from a year.
#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a project table (`name`, `in_service_year`, `set`, `add`…)"
)]
pub struct RawProject {
    /// Name.
    pub name: SStr,
    /// First design year it is in service.
    pub in_service_year: Spanned<i64>,
    /// What it is.
    #[serde(default)]
    pub description: String,
    /// Where its figures come from.
    #[serde(default)]
    pub source: String,
    /// Values it sets.
    #[serde(default)]
    pub set: Vec<RawEdit>,
    /// Values it adds to arrays (berths, terminals, areas, corridors…).
    #[serde(default)]
    pub add: Vec<RawEdit>,
    /// Capital cost, CNY.
    pub capex_cny: Option<SNum>,
    /// Operating and maintenance cost, CNY a year.
    pub opex_cny_per_yr: Option<SNum>,
    /// Economic life, years.
    pub life_yr: Option<SNum>,
    /// Where the costs come from (or how they were estimated).
    #[serde(default)]
    pub cost_source: String,
}

/// One edit of a project: a path into the scenario and a value.
#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an edit such as { path = \"flows[name=coal-in].volume_t_per_yr\", value = 6e6 }"
)]
pub struct RawEdit {
    /// Path, as in sweeps: `ports[name=Jinzhou].areas[name=Bijiashan].channel.depth_m`.
    pub path: SStr,
    /// The value set or added.
    pub value: Spanned<toml::Value>,
    /// `set` only: the years over which a number takes effect. In its k-th year in service
    /// the value moves k/N of the way from the one it replaces (1, the default: at once) —
    /// a ramp-up, as traffic drawn to a new service builds over its first years.
    pub ramp_years: Option<Spanned<i64>>,
}

/// `[[targets]]`.
#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a goal table (`metric`, `at_least` or `at_most`…)"
)]
pub struct RawTarget {
    /// Design year.
    pub year: Spanned<i64>,
    /// Port, `Port/Terminal` or `ALL`.
    pub port: SStr,
    /// Cargo class or `ALL`.
    pub cargo: SStr,
    /// Metric.
    pub metric: SStr,
    /// `at_least`, `at_most` or `within`.
    pub bound: SStr,
    /// The bound's value.
    pub value: SNum,
    /// For `within`: the band either side of `value`, as a fraction of it.
    pub tolerance: Option<SNum>,
    /// Where it comes from.
    pub source: SStr,
}

/// `[[disruptions]]`: an event of the design year — a port's closure, a berth outage or a
/// rail corridor outage on a date, or a severe season of a closure regime.
#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a disruption table (`name`, `kind`, …)"
)]
pub struct RawDisruption {
    /// A label for reports ("Typhoon Bavi").
    pub name: SStr,
    /// `closure`, `berth_outage`, `rail_outage` or `severe_season`.
    pub kind: SStr,
    /// The port (closure, berth outage; a severe season's ports: one, or all without it).
    pub port: Option<SStr>,
    /// Berth outage: the terminal.
    pub terminal: Option<SStr>,
    /// Berth outage: one berth of the terminal (its name as written; a `count` of berths
    /// under that name are all out). Without it, all the terminal's berths.
    pub berth: Option<SStr>,
    /// Rail outage: the corridor.
    pub corridor: Option<SStr>,
    /// Severe season: the closure regime (`[[ports.closures]]` name, e.g. "sea ice").
    pub regime: Option<SStr>,
    /// Severe season: factor on the regime's episodes per month.
    pub episodes_factor: Option<SNum>,
    /// Severe season: factor on the regime's episode durations.
    pub duration_factor: Option<SNum>,
    /// Day of the design year it starts (1 = 1 January; a fraction is the time of day)…
    pub start_day: Option<SNum>,
    /// …or its date in the design year, `"MM-DD"` or `"MM-DD HH:MM"`.
    pub date: Option<SStr>,
    /// How long, hours.
    pub duration_h: Option<SNum>,
    /// Closure: `["channel", "handling"]`.
    pub stops: Option<Spanned<Vec<String>>>,
    /// Where the dates come from.
    pub source: SStr,
}

/// `[[demand_paths]]`: the volumes of a port's (or ports', or the cluster's) cargo class in
/// the years after the base year where the record has them.
#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a demand path table (`base`, `values`, …)"
)]
pub struct RawDemandPath {
    /// A name, unique among the paths: a project's edit selects the path by it
    /// (`demand_paths[name=…]`), whatever its place in the file.
    pub name: Option<SStr>,
    /// Port names, or `["ALL"]` (with `cargo`; or `flows` instead).
    pub ports: Option<Spanned<Vec<SStr>>>,
    /// Cargo class, `ALL` or `non_container`.
    pub cargo: Option<SStr>,
    /// Flow names (instead of `ports` and `cargo`).
    pub flows: Option<Spanned<Vec<SStr>>>,
    /// The base year's figure the values are measured against (same unit).
    pub base: SNum,
    /// Figures by year: `{ 2021 = 3.67e6, 2022 = 4.46e6 }`.
    pub values: Option<Spanned<std::collections::BTreeMap<String, SNum>>>,
    /// Uncertain figures for the years after `values`, drawn once per replication:
    /// `{ 2024 = { dist = "triangular", min = 5.0e6, mode = 5.3e6, max = 5.6e6 } }`.
    pub uncertain_values: Option<Spanned<std::collections::BTreeMap<String, RawDist>>>,
    /// Where the figures come from.
    pub source: SStr,
}

/// `[[rail_paths]]`: what a port's (or ports') flows of one cargo class moved by rail in
/// years after the base year where the record has it.
#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a rail path table (`ports`, `cargo`, `values`, `source`)"
)]
pub struct RawRailPath {
    /// A label, unique among the rail paths (messages give a path by its place; a project
    /// cannot edit a rail path).
    pub name: Option<SStr>,
    /// Port names, or `["ALL"]`.
    pub ports: Spanned<Vec<SStr>>,
    /// Cargo class.
    pub cargo: SStr,
    /// Rail volumes by year, in the cargo's unit (TEU for containers, t otherwise):
    /// `{ 2024 = 480000 }`.
    pub values: Spanned<std::collections::BTreeMap<String, SNum>>,
    /// Where the figures come from.
    pub source: SStr,
}

/// `[emissions]`.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, expecting = "an `[emissions]` table")]
pub struct RawEmissions {
    /// Ships' auxiliary engines.
    pub ship: Option<RawFactors>,
    /// The grid behind shore power.
    pub grid: Option<RawFactors>,
    /// Ships' boilers (the ship's factors where not given).
    pub boiler: Option<RawFactors>,
}

/// Emission factors, g/kWh.
#[derive(Debug, Deserialize, Default)]
#[serde(
    deny_unknown_fields,
    expecting = "a table of emission factors, e.g. { co2_g_per_kwh = 800 }"
)]
pub struct RawFactors {
    /// CO₂.
    pub co2_g_per_kwh: Option<SNum>,
    /// NOₓ.
    pub nox_g_per_kwh: Option<SNum>,
    /// SOₓ.
    pub sox_g_per_kwh: Option<SNum>,
    /// PM.
    pub pm_g_per_kwh: Option<SNum>,
}

/// `[growth]`.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, expecting = "a `[growth]` table")]
pub struct RawGrowth {
    /// Annual growth rate by cargo class (0.05 = 5 %/yr); a flow's `growth_per_yr` overrides it.
    pub rates_per_yr: Option<Spanned<std::collections::BTreeMap<String, SNum>>>,
    /// Annual growth rate by flow name; overrides both the class rate and the flow's own
    /// `growth_per_yr` (so a scenario extending another can set one flow's growth).
    pub flows_per_yr: Option<Spanned<std::collections::BTreeMap<String, SNum>>>,
    /// Annual growth rate of a corridor's hub cargo, by corridor name; overrides the
    /// corridor's own `hub_growth_per_yr`.
    pub hubs_per_yr: Option<Spanned<std::collections::BTreeMap<String, SNum>>>,
    /// Uncertain growth rates, drawn once per replication, by cargo class or flow name:
    /// `{ dist = "triangular", min = -0.01, mode = 0.015, max = 0.03 }` or `uniform`.
    pub uncertain_per_yr: Option<Spanned<std::collections::BTreeMap<String, RawDist>>>,
}

/// `[planning]`.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, expecting = "a `[planning]` table")]
pub struct RawPlanning {
    /// Largest acceptable wait / service ratio by cargo class.
    pub wait_ratio_max: Option<Spanned<std::collections::BTreeMap<String, SNum>>>,
    /// The other limits `portsim projects` judges by, by metric:
    /// `{ yard_full_h = 88, diverted_share = 0.05, berth_occupancy = 0.7, … }`.
    pub limits: Option<Spanned<std::collections::BTreeMap<String, SNum>>>,
}

/// `[[regions]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a region table (`name`, …)")]
pub struct RawRegion {
    /// Name.
    pub name: SStr,
    /// Free text.
    #[serde(default)]
    pub description: String,
    /// Road distance from each port, km: `{ Dalian = 400 }`.
    pub road_km: Option<Spanned<std::collections::BTreeMap<String, SNum>>>,
    /// Pipeline distance from each port, km (default: the road distance).
    pub pipeline_km: Option<Spanned<std::collections::BTreeMap<String, SNum>>>,
    /// Road hours from each port (default: the road distance at `[mode_choice]`'s road speed).
    pub road_h: Option<Spanned<std::collections::BTreeMap<String, SNum>>>,
}

/// `[mode_choice]`: a multinomial logit on generalised cost.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a `[mode_choice]` table")]
pub struct RawModeChoice {
    /// Logit scale per CNY: `{ teu = …, t = … }`.
    pub theta_per_cny: Spanned<RawPerUnit>,
    /// Value of time, CNY per unit-hour: `{ teu = …, t = … }`.
    pub value_of_time: Spanned<RawPerUnit>,
    /// Road speed, km/h.
    pub road_speed_kmh: Option<SNum>,
    /// Rail tariff.
    pub rail: Option<Spanned<RawTariff>>,
    /// Road tariff.
    pub road: Option<Spanned<RawTariff>>,
    /// Pipeline tariff.
    pub pipeline: Option<Spanned<RawTariff>>,
}

/// A value per TEU (containers) and per tonne (other cargo).
#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a value per unit such as { teu = 0.0005, t = 0.00005 }"
)]
pub struct RawPerUnit {
    /// Per TEU.
    pub teu: Option<SNum>,
    /// Per tonne.
    pub t: Option<SNum>,
}

/// A tariff: fixed + per km, per TEU and per tonne.
#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a tariff table (fixed and per-km charges per TEU and per tonne)"
)]
pub struct RawTariff {
    /// Fixed charge per TEU, CNY.
    pub teu_fixed: Option<SNum>,
    /// Charge per TEU-km, CNY.
    pub teu_per_km: Option<SNum>,
    /// Fixed charge per tonne, CNY.
    pub t_fixed: Option<SNum>,
    /// Charge per tonne-km, CNY.
    pub t_per_km: Option<SNum>,
}

/// `[[corridors]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a rail corridor table")]
pub struct RawCorridor {
    /// Name.
    pub name: SStr,
    /// Port it starts at.
    pub port: SStr,
    /// Region it serves.
    pub region: SStr,
    /// Cargo classes.
    pub cargo: Spanned<Vec<SStr>>,
    /// Train load, TEU (container corridors).
    pub train_capacity_teu: Option<SNum>,
    /// Train load, t (other corridors).
    pub train_capacity_t: Option<SNum>,
    /// `timetable` or `when_full`.
    pub departure: SStr,
    /// Timetable: loading start times, hours after midnight.
    pub timetable_h: Option<Spanned<Vec<SNum>>>,
    /// Timetable: a train every this many hours from midnight (instead of `timetable_h`).
    pub every_h: Option<SNum>,
    /// When full: departures per day.
    pub slots_per_day: Option<Spanned<i64>>,
    /// When full: longest wait of the first cargo, hours.
    pub max_wait_h: Option<SNum>,
    /// Loading time on a track, hours.
    pub loading_h: Option<SNum>,
    /// Transit time, hours.
    pub transit_h: SNum,
    /// Train sets in rotation.
    pub train_sets: Option<Spanned<i64>>,
    /// Divert to road after this wait, hours.
    pub divert_to_road_after_h: Option<SNum>,
    /// Rail distance to the region, km (for mode choice).
    pub distance_km: Option<SNum>,
    /// "The last kilometre": the cost of moving a unit between its terminal and the rail
    /// station, CNY per TEU or t (0 where a spur reaches the terminal).
    pub access_cny: Option<SNum>,
    /// The hours that shuttle takes.
    pub access_h: Option<SNum>,
    /// When full: inbound departures per day at the inland end (default: `slots_per_day`).
    pub inbound_slots_per_day: Option<Spanned<i64>>,
    /// When full: longest wait of the first inbound cargo, hours (default: `max_wait_h`).
    pub inbound_max_wait_h: Option<SNum>,
    /// Unloading time of an inbound train on a port track, hours (default: `loading_h`).
    pub unloading_h: Option<SNum>,
    /// Hub cargo assembled at the port onto outbound trains, units a year (base year).
    pub hub_out_per_yr: Option<SNum>,
    /// Hub cargo arriving on inbound trains for the hinterland, units a year (base year).
    pub hub_in_per_yr: Option<SNum>,
    /// Annual growth of the hub cargo (default: its cargo class's rate).
    pub hub_growth_per_yr: Option<SNum>,
    /// Units per hub consignment (default: a tenth of a train load).
    pub hub_lot: Option<SNum>,
}

/// `modes = { rail = 0.3, road = 0.7 }`.
#[derive(Clone, Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "mode shares such as { rail = 0.1, road = 0.9 }"
)]
pub struct RawModes {
    /// Rail share.
    pub rail: Option<SNum>,
    /// Road share.
    pub road: Option<SNum>,
    /// Pipeline share.
    pub pipeline: Option<SNum>,
}

/// `gate = { trucks_per_h = 300, teu_per_truck = 1.6 }`.
#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a gate such as { trucks_per_h = 300, teu_per_truck = 1.6 }"
)]
pub struct RawGate {
    /// Trucks per hour.
    pub trucks_per_h: SNum,
    /// TEU per truck.
    pub teu_per_truck: Option<SNum>,
    /// Tonnes per truck.
    pub t_per_truck: Option<SNum>,
}

/// `[run]`.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, expecting = "a `[run]` table")]
pub struct RawRun {
    /// Year whose demand the flows state.
    pub base_year: Option<Spanned<i64>>,
    /// Design years run by default.
    pub years: Option<Spanned<Vec<i64>>>,
    /// Warm-up, days.
    pub warmup_days: Option<SNum>,
    /// Measured period, days.
    pub measured_days: Option<SNum>,
    /// Default replications.
    pub replications: Option<Spanned<i64>>,
    /// Default master seed.
    pub seed: Option<Spanned<i64>>,
}

/// `[units]`.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, expecting = "a `[units]` table")]
pub struct RawUnits {
    /// Tonnes per TEU.
    pub t_per_teu: Option<SNum>,
    /// TEU per crane move (box), for container berths given in cranes × moves.
    pub teu_per_move: Option<SNum>,
}

/// A distribution: `{ dist = "exponential", mean = 2.0 }`.
#[derive(Clone, Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a distribution such as { dist = \"gamma\", mean = 8, cv = 0.8 }"
)]
pub struct RawDist {
    /// Family name.
    pub dist: SStr,
    /// Mean (exponential, erlang, gamma, lognormal, normal).
    pub mean: Option<SNum>,
    /// Value (fixed).
    pub value: Option<SNum>,
    /// Phases (erlang).
    pub k: Option<Spanned<i64>>,
    /// Coefficient of variation (gamma, lognormal).
    pub cv: Option<SNum>,
    /// Standard deviation (normal).
    pub sd: Option<SNum>,
    /// Lower bound (uniform, triangular).
    pub min: Option<SNum>,
    /// Mode (triangular).
    pub mode: Option<SNum>,
    /// Upper bound (uniform, triangular).
    pub max: Option<SNum>,
    /// Values (empirical).
    pub values: Option<Vec<SNum>>,
    /// Weights (empirical).
    pub weights: Option<Vec<SNum>>,
}

/// `[[ship_classes]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a ship class table")]
pub struct RawShipClass {
    /// Name.
    pub name: SStr,
    /// Cargo class carried.
    pub cargo: SStr,
    /// Deadweight, t.
    pub dwt_t: Option<SNum>,
    /// Container capacity, TEU (container ships only).
    pub teu: Option<SNum>,
    /// Length overall, m.
    pub length_m: Option<SNum>,
    /// Laden draft, m.
    pub draft_m: Option<SNum>,
    /// Ballast draft, m (default: 45 % of the laden draft).
    pub ballast_draft_m: Option<SNum>,
    /// Parcel per call, t (non-container).
    pub parcel_t: Option<Spanned<RawDist>>,
    /// Parcel per call, TEU (container).
    pub parcel_teu: Option<Spanned<RawDist>>,
    /// Power at berth, kW.
    pub power_at_berth_kw: Option<SNum>,
    /// Of `power_at_berth_kw`, the part the boilers take, kW.
    pub boiler_at_berth_kw: Option<SNum>,
    /// Share of calls able to take shore power.
    pub shore_power_share: Option<SNum>,
    /// The most quay cranes that can work one ship at once (container ships).
    pub max_cranes: Option<SNum>,
    /// Cost of ship time per hour.
    pub cost_per_h: Option<SNum>,
}

/// `[[ports]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a port table")]
pub struct RawPort {
    /// Name.
    pub name: SStr,
    /// Tide.
    pub tide: Option<Spanned<RawTide>>,
    /// Closure regimes.
    #[serde(default)]
    pub closures: Vec<RawClosure>,
    /// Loading tracks at the port's rail station.
    pub rail_loading_tracks: Option<Spanned<i64>>,
    /// Port areas.
    #[serde(default)]
    pub areas: Vec<RawArea>,
}

/// `tide = { … }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a tide such as { range_m = 2.0 }")]
pub struct RawTide {
    /// Mean range, m.
    pub range_m: SNum,
    /// A high water, hours after 1 January 00:00.
    #[serde(default)]
    pub high_water_h: Option<SNum>,
}

/// `[[ports.closures]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a closure regime table")]
pub struct RawClosure {
    /// Label.
    pub name: SStr,
    /// Months 1–12.
    pub months: Spanned<Vec<i64>>,
    /// Expected episodes per month.
    pub episodes_per_month: SNum,
    /// Episode duration, hours.
    pub duration_h: Spanned<RawDist>,
    /// `["channel", "handling"]`.
    pub stops: Spanned<Vec<String>>,
}

/// `[[ports.areas]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a port area table")]
pub struct RawArea {
    /// Name.
    pub name: SStr,
    /// Approach channel (none: open water).
    pub channel: Option<Spanned<RawChannel>>,
    /// Terminals.
    #[serde(default)]
    pub terminals: Vec<RawTerminal>,
}

/// `channel = { … }`.
#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a channel such as { depth_m = 12.0, ukc_m = 0.5, transit_h = 1.0 }"
)]
pub struct RawChannel {
    /// Depth at chart datum, m.
    pub depth_m: SNum,
    /// Under-keel clearance, m.
    pub ukc_m: Option<SNum>,
    /// Transit time, h.
    pub transit_h: Option<SNum>,
    /// One-way traffic for ships of at least this DWT.
    pub one_way_min_dwt_t: Option<SNum>,
}

/// `[[ports.areas.terminals]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a terminal table")]
pub struct RawTerminal {
    /// Name.
    pub name: SStr,
    /// Cargo classes handled.
    pub cargo: Spanned<Vec<SStr>>,
    /// Yard capacity for containers, TEU.
    pub yard_capacity_teu: Option<SNum>,
    /// Yard capacity for other cargo, t.
    pub yard_capacity_t: Option<SNum>,
    /// Road gate.
    pub gate: Option<Spanned<RawGate>>,
    /// Pipeline rate, t/h.
    pub pipeline_t_per_h: Option<SNum>,
    /// Hours of blocked discharge after which a call discharges into overflow space.
    pub yard_overflow_after_h: Option<SNum>,
    /// Berth-sharing pool: under the integrated policy, calls tied to this terminal may use
    /// the berths of every terminal of the port in the same pool.
    pub pool: Option<SStr>,
    /// How an arriving ship is given a free berth: `smallest_sufficient` (the default) or
    /// `spread`.
    pub berth_allocation: Option<SStr>,
    /// Berths.
    #[serde(default)]
    pub berths: Vec<RawBerth>,
}

/// `[[ports.areas.terminals.berths]]`: one berth, or `count` identical ones.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a berth table")]
pub struct RawBerth {
    /// Name (with `-1`, `-2`… appended when `count` > 1).
    pub name: SStr,
    /// Number of identical berths.
    pub count: Option<Spanned<i64>>,
    /// Cargo classes (default: the terminal's).
    pub cargo: Option<Spanned<Vec<SStr>>>,
    /// Largest ship, DWT.
    pub max_dwt_t: Option<SNum>,
    /// Quay length per ship, m.
    pub length_m: Option<SNum>,
    /// Depth alongside, m.
    pub depth_m: Option<SNum>,
    /// Net rate for non-container cargo, t/h.
    pub rate_t_per_h: Option<SNum>,
    /// Net rate for containers, TEU/h.
    pub rate_teu_per_h: Option<SNum>,
    /// Quay cranes per ship (with `moves_per_crane_h`, instead of `rate_teu_per_h`).
    pub cranes: Option<SNum>,
    /// Net moves per crane-hour.
    pub moves_per_crane_h: Option<SNum>,
    /// Call-to-call rate variation (coefficient of variation).
    pub rate_cv: Option<SNum>,
    /// Fixed time per call, h.
    pub mooring_h: Option<SNum>,
    /// Shore power at this berth.
    #[serde(default)]
    pub shore_power: bool,
}

/// `[[services]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a liner service table")]
pub struct RawService {
    /// Name.
    pub name: SStr,
    /// Port.
    pub port: SStr,
    /// Terminal (optional).
    pub terminal: Option<SStr>,
    /// The berths entry of its terminal its calls keep to (optional: as under a contract with
    /// the one operator that runs them).
    pub section: Option<SStr>,
    /// Ship class.
    pub ship_class: SStr,
    /// Calls per week.
    pub calls_per_week: SNum,
    /// First scheduled call, hours after the start of the run.
    pub first_call_h: Option<SNum>,
    /// Delay behind schedule, h.
    pub delay_h: Option<Spanned<RawDist>>,
    /// Call-size variation (coefficient of variation).
    pub call_size_cv: Option<SNum>,
}
