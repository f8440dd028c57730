//! The cargo physically in port, counted where it is — aboard the ships at the port, in the
//! yards, at the gates, on trains loading — to check the ledger, whose stock moves only with
//! its own arrivals and departures, against the state of the model.
//!
//! The count is independent of the ledger wherever cargo moves through yards, gates and
//! trains: it reads the yards' stock by cargo, the lots at the gates, the trains' loads and each
//! lot's progress aboard. Cargo worked at the quay without a yard is in port, by definition,
//! from its ship's arrival to its unmooring, which is also how the ledger books it; there the
//! count checks only that the ships it finds at the port are the ones the ledger has.

use super::*;

impl Sim<'_> {
    /// Cargo in port now, per statistics slot (port × cargo class).
    pub(super) fn count_in_port(&self) -> Vec<u64> {
        let mut found = vec![0u64; self.stats.slots.len()];
        for s in self.ships.iter().filter(|s| s.at_port) {
            for l in &s.lots {
                let through_yard = self.model.flows[l.flow.index()].through_yard();
                found[s.slot as usize] += match (through_yard, l.loads) {
                    // Arrived with the ship and leaves with it (worked at the quay, no yard).
                    (false, _) => l.amount,
                    // Still aboard: the rest is in the yard.
                    (true, false) => l.amount - l.done,
                    // Taken aboard from the yard so far.
                    (true, true) => l.done,
                };
            }
        }
        self.land.count_in_port(self.model, &mut found);
        found
    }
}
