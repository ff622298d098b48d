//! The fairness bookkeeping: which deliveries this process holds, and how many per
//! endpoint, so that one endpoint never takes more than its share of the sends.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

use uuid::Uuid;

/// Deliveries this process holds, by endpoint.
#[derive(Default)]
pub(super) struct InFlight {
    ids: HashSet<Uuid>,
    per_endpoint: HashMap<Uuid, usize>,
}

impl InFlight {
    /// Endpoints holding `share` sends or more: skipped by the next claim until they
    /// finish some.
    pub(super) fn busy_endpoints(&self, share: usize) -> Vec<Uuid> {
        self.per_endpoint
            .iter()
            .filter(|(_, n)| **n >= share)
            .map(|(id, _)| *id)
            .collect()
    }

    /// A send of `delivery` to `endpoint` begins.
    pub(super) fn start(&mut self, delivery: Uuid, endpoint: Uuid) {
        self.ids.insert(delivery);
        *self.per_endpoint.entry(endpoint).or_default() += 1;
    }

    /// A send ended: says whether the delivery is still this process's to record, and
    /// how many sends its endpoint had in flight before.
    pub(super) fn finish(&mut self, delivery: Uuid, endpoint: Uuid) -> Finished {
        let still_held = self.ids.remove(&delivery);
        let mut sends_before = 0;
        if let Some(n) = self.per_endpoint.get_mut(&endpoint) {
            sends_before = *n;
            *n = n.saturating_sub(1);
        }
        Finished {
            still_held,
            sends_before,
        }
    }

    /// Gives up every delivery still held (at shutdown), returning their ids.
    pub(super) fn take_all(&mut self) -> Vec<Uuid> {
        self.ids.drain().collect()
    }
}

/// What [`InFlight::finish`] found.
pub(super) struct Finished {
    /// Not when shutdown already released the delivery.
    pub(super) still_held: bool,
    /// The endpoint's sends in flight, this one included.
    pub(super) sends_before: usize,
}

/// The bookkeeping shared by the claim loop and the send tasks.
pub(super) type SharedInFlight = Arc<Mutex<InFlight>>;

/// Locks the bookkeeping. A send task that panicked while holding it left nothing
/// half-written (every change is a single step), so a poisoned lock is used as it is.
pub(super) fn lock(in_flight: &SharedInFlight) -> MutexGuard<'_, InFlight> {
    in_flight.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endpoint_is_busy_from_its_share_until_a_send_finishes() {
        let (endpoint, other) = (Uuid::new_v4(), Uuid::new_v4());
        let mut held = InFlight::default();
        let sends: Vec<Uuid> = (0..3).map(|_| Uuid::new_v4()).collect();
        for send in &sends {
            held.start(*send, endpoint);
        }
        held.start(Uuid::new_v4(), other);
        assert_eq!(held.busy_endpoints(3), vec![endpoint]);
        assert_eq!(held.busy_endpoints(4), Vec::<Uuid>::new());
        let finished = held.finish(sends[0], endpoint);
        assert!(finished.still_held);
        assert_eq!(finished.sends_before, 3, "it was at its share");
        assert_eq!(held.busy_endpoints(3), Vec::<Uuid>::new());
        assert_eq!(held.finish(sends[1], endpoint).sends_before, 2);
    }

    #[test]
    fn a_send_that_ends_after_shutdown_took_its_delivery_is_not_recorded() {
        let (endpoint, early, late) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let mut held = InFlight::default();
        held.start(early, endpoint);
        held.start(late, endpoint);
        assert!(
            held.finish(early, endpoint).still_held,
            "ended before shutdown"
        );
        assert_eq!(held.take_all(), vec![late]);
        assert!(
            !held.finish(late, endpoint).still_held,
            "released by shutdown"
        );
        assert_eq!(held.busy_endpoints(1), Vec::<Uuid>::new());
    }
}
