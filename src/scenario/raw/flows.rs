//! The flows as written: demand, ship mix, arrivals, hinterland leg and routes.

use serde::Deserialize;
use toml::Spanned;

use super::{RawDist, RawModes, SNum, SStr};

/// `ships = [{ class = "capesize", share = 0.6 }]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a ship share such as { class = \"handy\", share = 1.0 }"
)]
pub struct RawShipShare {
    /// Ship class.
    pub class: SStr,
    /// Share of the flow's volume.
    pub share: Option<SNum>,
    /// The class that carries this share where the port cannot take this one (no berth for
    /// it, or a channel it cannot pass at high water) — until a project lets it in.
    pub fallback: Option<SStr>,
}

/// `fleet = [{ year = 2030, ships = [...] }]`: the ship mix in a later year; shares move
/// linearly from the flow's `ships` (in the base year) through each year given, and hold after
/// the last.
#[derive(Clone, Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a fleet year such as { year = 2030, ships = [{ class = \"handy\" }] }"
)]
pub struct RawFleetYear {
    /// The year of this mix.
    pub year: Spanned<i64>,
    /// The mix that year.
    pub ships: Spanned<Vec<RawShipShare>>,
}

/// `[[flows]]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a flow table")]
pub struct RawFlow {
    /// Name.
    pub name: SStr,
    /// Cargo class.
    pub cargo: SStr,
    /// `import`, `export` or `transshipment`.
    pub direction: SStr,
    /// Port.
    pub port: SStr,
    /// Terminal (optional).
    pub terminal: Option<SStr>,
    /// Volume, t/yr (non-container).
    pub volume_t_per_yr: Option<SNum>,
    /// Volume, TEU/yr (container).
    pub volume_teu_per_yr: Option<SNum>,
    /// Tramp calls per hour, instead of a volume (queueing models give λ directly).
    pub calls_per_h: Option<SNum>,
    /// Tramp calls per year, instead of a volume.
    pub calls_per_yr: Option<SNum>,
    /// Annual growth after the base year.
    pub growth_per_yr: Option<SNum>,
    /// Tramp ship mix.
    pub ships: Option<Spanned<Vec<RawShipShare>>>,
    /// Tramp ship mixes of later years.
    pub fleet: Option<Spanned<Vec<RawFleetYear>>>,
    /// Liner service carrying the flow.
    pub service: Option<SStr>,
    /// Monthly arrival-rate factors.
    pub seasonality: Option<Spanned<Vec<SNum>>>,
    /// Tramp arrivals: `poisson` (default), `programme` (evenly spaced calls on an annual
    /// delivery programme, each late by `jitter_h`) or `stock` (ordered against a tank's stock,
    /// by `stock`).
    pub arrivals: Option<SStr>,
    /// Programme arrivals: how late a call comes against its slot, hours.
    pub jitter_h: Option<Spanned<RawDist>>,
    /// Stock-driven arrivals: the tank's ordering rule.
    pub stock: Option<Spanned<RawStock>>,
    /// Service-time distribution replacing mooring + parcel / rate.
    pub service_h: Option<Spanned<RawDist>>,
    /// Hinterland region.
    pub region: Option<SStr>,
    /// The terminal whose yard or tanks hold the cargo, when ships may berth at several.
    pub yard_terminal: Option<SStr>,
    /// Mode split.
    pub modes: Option<Spanned<RawModes>>,
    /// Yard dwell (imports) or lead time (exports), hours.
    pub dwell_h: Option<Spanned<RawDist>>,
    /// Integrated policy: other ports that may take this flow's calls.
    pub alternative_ports: Option<Spanned<Vec<SStr>>>,
    /// Integrated policy: hinterland haul cost per tonne from each candidate port.
    pub haul_cost_per_t: Option<Spanned<std::collections::BTreeMap<String, SNum>>>,
    /// Transshipment: the service that takes the cargo on from the hub.
    pub onward_service: Option<SStr>,
    /// Transshipment: where the cargo starts (an export at another port, fed to the hub).
    pub origin: Option<Spanned<RawLeg>>,
    /// Transshipment: where the cargo ends (an import at another port, fed from the hub).
    pub destination: Option<Spanned<RawLeg>>,
    /// Hub-feeder policy: the flow's route through the hub instead of its own port's calls.
    pub hub: Option<Spanned<RawHub>>,
}

/// `hub = { port = "Dalian", mainline = "dalian-intra-asia", feeder = "dalian-feeder" }`: under
/// the hub-feeder policy an import or export flow on a liner service becomes a transshipment at
/// the hub, between the hub's mainline service and its feeder service, with a feeder leg to the
/// flow's own port.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a hub table")]
pub struct RawHub {
    /// The hub port.
    pub port: SStr,
    /// The hub's service for the deep-sea leg.
    pub mainline: SStr,
    /// The hub's feeder service, to and from the flow's own port.
    pub feeder: SStr,
    /// The service at the flow's own port that carries the feeder leg (default: the flow's
    /// own service).
    pub local_service: Option<SStr>,
    /// The terminal whose yard holds the boxes at the hub, if the hub has several.
    pub yard_terminal: Option<SStr>,
}

/// The far end of a transshipment flow: another port, the service between it and the hub,
/// and the cargo's hinterland there.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a hinterland leg table")]
pub struct RawLeg {
    /// The other port.
    pub port: SStr,
    /// The service calling there.
    pub service: SStr,
    /// Its hinterland region.
    pub region: SStr,
    /// Its mode split.
    pub modes: Spanned<RawModes>,
    /// Its dwell (destination) or lead time (origin), hours.
    pub dwell_h: Spanned<RawDist>,
    /// The terminal whose yard holds it there.
    pub yard_terminal: Option<SStr>,
}

/// `stock = { reorder_t = 90000, initial_t = 150000, lead_h = { dist = "uniform", min = 96,
/// max = 144 } }` (or `reorder_days = 8` instead of `reorder_t`): a stock-driven flow's ordering rule. The tank is the flow's yard terminal
/// (its `yard_capacity_t`), sending out through the terminal's pipeline.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a stock table")]
pub struct RawStock {
    /// Order the next ship when stock plus cargo on order falls to this, tonnes…
    pub reorder_t: Option<SNum>,
    /// …or to this many days of the send-out of the moment.
    pub reorder_days: Option<SNum>,
    /// Stock at the start of the run, tonnes (default: the reorder level plus one mean parcel,
    /// within the tank).
    pub initial_t: Option<SNum>,
    /// From order to arrival, hours.
    pub lead_h: Spanned<RawDist>,
}
