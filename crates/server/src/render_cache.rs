//! Rendered JSON of documents that are read far more often than they change (offers
//! pulled by ERPs and opened in the backoffice, carts reread by the store on every page,
//! orders polled for their shipments). An entry is keyed by everything its bytes depend
//! on — the document, its [`Stamp`] and whether the reader sees purchase prices — so a hit
//! is always what a fresh rendering would be. Every read still asks the database for the
//! current stamp; only the loading of lines and the rendering are saved.

use std::sync::{Mutex, MutexGuard};

use actix_web::web::Bytes;
use orderpath_carts::CartStamp;
use orderpath_core::weighed_lru::WeighedLru;
use orderpath_offers::OfferStatus;
use uuid::Uuid;

/// What decides a document's rendering besides its id and the reader's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stamp {
    /// An offer's version and its status as of now (expiry changes no row).
    Offer { version: i64, status: OfferStatus },
    /// A cart's version and what its lines show of the catalog.
    Cart(CartStamp),
    /// An order's version: its lines are its own copy, and every change of its shipments
    /// raises it.
    Order { version: i64 },
}

impl Stamp {
    /// The document's version, its ETag.
    pub fn version(&self) -> i64 {
        match self {
            Stamp::Offer { version, .. } | Stamp::Order { version } => *version,
            Stamp::Cart(stamp) => stamp.version,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RenderKey {
    pub id: Uuid,
    pub stamp: Stamp,
    pub staff: bool,
}

/// A byte-bounded least-recently-used map of rendered bodies: one per document and role,
/// the rendering of the stamp last kept, so that a document changed again and again (a
/// cart growing line by line) holds one body, not one per version until evicted.
pub struct RenderCache {
    inner: Mutex<WeighedLru<(Uuid, bool), (Stamp, Bytes)>>,
}

impl RenderCache {
    /// A cache holding at most `budget` bytes of bodies.
    pub fn new(budget: usize) -> Self {
        RenderCache {
            inner: Mutex::new(WeighedLru::new(budget, |(_, body)| body.len())),
        }
    }

    fn inner(&self) -> MutexGuard<'_, WeighedLru<(Uuid, bool), (Stamp, Bytes)>> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether the cache keeps nothing (`ORDERPATH_RENDER_CACHE_MB=0`).
    pub fn is_off(&self) -> bool {
        self.inner().budget() == 0
    }

    /// Whether any body of document `id` is kept for this role: when none is, a read
    /// need not ask for the document's stamp before loading it.
    pub fn holds(&self, id: Uuid, staff: bool) -> bool {
        self.inner().contains(&(id, staff))
    }

    /// The body kept for `key`: the document's rendering for the reader's role, if it was
    /// kept under exactly this stamp.
    pub fn get(&self, key: &RenderKey) -> Option<Bytes> {
        match self.inner().get(&(key.id, key.staff)) {
            Some((stamp, body)) if *stamp == key.stamp => Some(body.clone()),
            _ => None,
        }
    }

    /// Keeps `body` under `key`, in place of the document's body for another stamp, and
    /// evicts the least recently used bodies beyond the budget. A body larger than the
    /// whole budget is not kept.
    pub fn put(&self, key: RenderKey, body: Bytes) {
        self.inner().put((key.id, key.staff), (key.stamp, body));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(version: i64) -> RenderKey {
        RenderKey {
            id: Uuid::nil(),
            stamp: Stamp::Order { version },
            staff: true,
        }
    }

    /// Document `n`'s key at version 1.
    fn document(n: u128) -> RenderKey {
        RenderKey {
            id: Uuid::from_u128(n),
            ..key(1)
        }
    }

    #[test]
    fn least_recently_used_bodies_go_first_when_over_budget() {
        let cache = RenderCache::new(10);
        cache.put(document(1), Bytes::from_static(b"aaaa"));
        cache.put(document(2), Bytes::from_static(b"bbbb"));
        assert!(cache.get(&document(1)).is_some());
        cache.put(document(3), Bytes::from_static(b"cccc"));
        assert!(
            cache.get(&document(2)).is_none(),
            "2 was used least recently"
        );
        assert!(cache.get(&document(1)).is_some());
        assert!(cache.get(&document(3)).is_some());
        cache.put(document(4), Bytes::from(vec![0u8; 11]));
        assert!(
            cache.get(&document(4)).is_none(),
            "larger than the whole budget"
        );
    }

    #[test]
    fn a_document_holds_one_body_per_role_the_last_stamp_kept() {
        let cache = RenderCache::new(10);
        let other = document(1);
        cache.put(other, Bytes::from_static(b"oooo"));
        cache.put(key(1), Bytes::from_static(b"aaaa"));
        cache.put(key(2), Bytes::from_static(b"bbbb"));
        assert!(cache.get(&key(1)).is_none(), "replaced by version 2");
        assert_eq!(cache.get(&key(2)), Some(Bytes::from_static(b"bbbb")));
        assert!(
            cache.get(&other).is_some(),
            "version 1's body no longer counts against the budget"
        );
        let customer = RenderKey {
            staff: false,
            ..key(2)
        };
        assert!(
            cache.get(&customer).is_none(),
            "staff's body is not the customer's"
        );
    }
}
