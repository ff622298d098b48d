//! Rendered JSON of documents that are read far more often than they change (offers
//! pulled by ERPs and opened in the backoffice). An entry is keyed by everything its bytes
//! depend on — id, version, status as of now, and whether the reader sees purchase prices —
//! so a hit is always what a fresh rendering would be. Every read still asks the database
//! for the current version; only the loading of lines and the rendering are saved.

use std::sync::Mutex;

use actix_web::web::Bytes;
use lru::LruCache;
use orderpath_offers::OfferStatus;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RenderKey {
    pub id: Uuid,
    pub version: i64,
    pub status: OfferStatus,
    pub staff: bool,
}

/// A byte-bounded least-recently-used map of rendered bodies.
pub struct RenderCache {
    inner: Mutex<Inner>,
    budget: usize,
}

struct Inner {
    entries: LruCache<RenderKey, Bytes>,
    bytes: usize,
}

impl RenderCache {
    /// A cache holding at most `budget` bytes of bodies.
    pub fn new(budget: usize) -> Self {
        RenderCache {
            inner: Mutex::new(Inner {
                entries: LruCache::unbounded(),
                bytes: 0,
            }),
            budget,
        }
    }

    pub fn get(&self, key: &RenderKey) -> Option<Bytes> {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner.entries.get(key).cloned()
    }

    /// Keeps `body` under `key`, evicting the least recently used bodies beyond the
    /// budget. A body larger than the whole budget is not kept.
    pub fn put(&self, key: RenderKey, body: Bytes) {
        if body.len() > self.budget {
            return;
        }
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner.bytes += body.len();
        if let Some(old) = inner.entries.put(key, body) {
            inner.bytes -= old.len();
        }
        while inner.bytes > self.budget {
            match inner.entries.pop_lru() {
                Some((_, evicted)) => inner.bytes -= evicted.len(),
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(version: i64) -> RenderKey {
        RenderKey {
            id: Uuid::nil(),
            version,
            status: OfferStatus::Draft,
            staff: true,
        }
    }

    #[test]
    fn least_recently_used_bodies_go_first_when_over_budget() {
        let cache = RenderCache::new(10);
        cache.put(key(1), Bytes::from_static(b"aaaa"));
        cache.put(key(2), Bytes::from_static(b"bbbb"));
        assert!(cache.get(&key(1)).is_some());
        cache.put(key(3), Bytes::from_static(b"cccc"));
        assert!(cache.get(&key(2)).is_none(), "2 was used least recently");
        assert!(cache.get(&key(1)).is_some());
        assert!(cache.get(&key(3)).is_some());
        cache.put(key(4), Bytes::from(vec![0u8; 11]));
        assert!(cache.get(&key(4)).is_none(), "larger than the whole budget");
    }
}
