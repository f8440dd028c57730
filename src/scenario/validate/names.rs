//! The names a scenario declares, and their resolution with "did you mean" hints.

use std::collections::BTreeMap;

use super::checker::{Checker, span, suggest};
use crate::model::{PortId, RegionId, ServiceId, ShipClassId, TerminalId};
use crate::scenario::raw::SStr;

/// Every declared name and its id; the lists keep declaration order for the hints.
#[derive(Debug, Default)]
pub(super) struct Names {
    pub ports: BTreeMap<String, PortId>,
    pub port_list: Vec<String>,
    /// Terminals by (port index, name): names are unique within a port.
    pub terminals: BTreeMap<(usize, String), TerminalId>,
    pub classes: BTreeMap<String, ShipClassId>,
    pub class_list: Vec<String>,
    pub regions: BTreeMap<String, RegionId>,
    pub region_list: Vec<String>,
    pub services: BTreeMap<String, ServiceId>,
    pub service_list: Vec<String>,
    /// Each service's port and ship class where they resolved (a service whose port or class
    /// is unknown holds placeholders in the model, which must not be read).
    pub service_at: Vec<(Option<PortId>, Option<ShipClassId>)>,
}

impl Names {
    /// A port by name.
    pub fn port(&self, c: &mut Checker, s: &SStr, path: &str) -> Option<PortId> {
        let id = self.ports.get(s.get_ref()).copied();
        if id.is_none() {
            let hint = suggest(s.get_ref(), self.port_list.iter().map(String::as_str));
            c.err(
                span(s),
                path,
                format!("unknown port `{}`{hint}", s.get_ref()),
            );
        }
        id
    }

    /// A terminal of `port` by name.
    pub fn terminal(
        &self,
        c: &mut Checker,
        port: PortId,
        s: &SStr,
        path: &str,
    ) -> Option<TerminalId> {
        let id = self
            .terminals
            .get(&(port.index(), s.get_ref().clone()))
            .copied();
        if id.is_none() {
            let hint = suggest(s.get_ref(), self.terminals_of(port.index()));
            c.err(
                span(s),
                path,
                format!(
                    "unknown terminal `{}` at port `{}`{hint}",
                    s.get_ref(),
                    self.port_list[port.index()]
                ),
            );
        }
        id
    }

    /// The terminal names of a port, in name order.
    pub fn terminals_of(&self, port: usize) -> Vec<&str> {
        self.terminals
            .keys()
            .filter(|(p, _)| *p == port)
            .map(|(_, n)| n.as_str())
            .collect()
    }

    /// A ship class by name.
    pub fn class(&self, c: &mut Checker, s: &SStr, path: &str) -> Option<ShipClassId> {
        let id = self.classes.get(s.get_ref()).copied();
        if id.is_none() {
            let hint = suggest(s.get_ref(), self.class_list.iter().map(String::as_str));
            c.err(
                span(s),
                path,
                format!("unknown ship class `{}`{hint}", s.get_ref()),
            );
        }
        id
    }

    /// A hinterland region by name.
    pub fn region(&self, c: &mut Checker, s: &SStr, path: &str) -> Option<RegionId> {
        let id = self.regions.get(s.get_ref()).copied();
        if id.is_none() {
            let hint = suggest(s.get_ref(), self.region_list.iter().map(String::as_str));
            c.err(
                span(s),
                path,
                format!(
                    "unknown region `{}`{hint}; regions are declared in `[[regions]]`",
                    s.get_ref()
                ),
            );
        }
        id
    }

    /// A service's port, if it resolved.
    pub fn service_port(&self, s: ServiceId) -> Option<PortId> {
        self.service_at.get(s.index()).and_then(|x| x.0)
    }

    /// A service's ship class, if it resolved.
    pub fn service_class(&self, s: ServiceId) -> Option<ShipClassId> {
        self.service_at.get(s.index()).and_then(|x| x.1)
    }

    /// A liner service by name.
    pub fn service(&self, c: &mut Checker, s: &SStr, path: &str) -> Option<ServiceId> {
        let id = self.services.get(s.get_ref()).copied();
        if id.is_none() {
            let hint = suggest(s.get_ref(), self.service_list.iter().map(String::as_str));
            c.err(
                span(s),
                path,
                format!("unknown service `{}`{hint}", s.get_ref()),
            );
        }
        id
    }
}
