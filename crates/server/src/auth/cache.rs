//! Credentials seen recently, so that most requests authenticate without a database round
//! trip, and yet a credential that ends (sign-out, revocation, deactivation, new password)
//! stops working on every instance at once.
//!
//! Coherence comes from PostgreSQL: every change that ends a credential notifies
//! `orderpath_credentials` in its own transaction, and each instance listens (see
//! [`crate::auth::listen_for_ended_credentials`]). The cache is trusted only while that
//! listener is connected: before it has connected and after it loses its connection, every
//! request is checked against the database. A lookup that raced with a notification is not
//! kept: [`CredentialCache::put`] refuses entries read before the latest notification.
//! Expiry needs no notification: a cached session carries its own idle and absolute ends.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::RwLock;

use orderpath_people::{EndedCredential, Principal};

/// Bounds the cache; when full it is simply cleared.
const CAPACITY: usize = 10_000;

/// Credentials by the hash of the presented token.
#[derive(Default)]
pub struct CredentialCache {
    entries: RwLock<HashMap<String, Principal>>,
    /// Moves on every notification and every change of the listener's state.
    generation: AtomicU64,
    /// Whether the listener is connected, so that no notification can be missed.
    listening: AtomicBool,
}

impl CredentialCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// The cached principal of token hash `key`, if the cache may be trusted now.
    pub fn get(&self, key: &str) -> Option<Principal> {
        if !self.listening.load(Ordering::Acquire) {
            return None;
        }
        let entries = self.entries.read().unwrap_or_else(|p| p.into_inner());
        entries.get(key).cloned()
    }

    /// Take this before reading a credential from the database, and hand it to
    /// [`CredentialCache::put`] with what was read.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Keeps `principal`, read from the database when the generation was `read_at`, unless a
    /// notification came in since (the read may predate the change it announced) or the
    /// cache is not trusted.
    pub fn put(&self, key: String, principal: Principal, read_at: u64) {
        let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
        // Checked under the write lock: `end` and `set_listening` move the generation
        // under it too, so no stale entry can slip in after they cleared.
        if !self.listening.load(Ordering::Acquire) || self.generation() != read_at {
            return;
        }
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(key, principal);
    }

    /// Forgets a token hash (a signed-out session, say) at once on this instance.
    pub fn forget(&self, key: &str) {
        let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.remove(key);
    }

    /// Drops every cached credential that `ended` names.
    pub fn end(&self, ended: EndedCredential) {
        let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.retain(|_, principal| !ended.ends(principal));
    }

    /// Records whether the listener is connected. Either way the cache starts empty: what
    /// was cached may have ended while nobody listened.
    pub fn set_listening(&self, listening: bool) {
        let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.listening.store(listening, Ordering::Release);
        entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use orderpath_people::{PrincipalKind, Role};
    use uuid::Uuid;

    use super::*;

    fn token(id: Uuid) -> Principal {
        Principal {
            kind: PrincipalKind::Token,
            id,
            name: "ERP".into(),
            role: Role::Integration,
            customer_id: None,
            email: None,
            session_id: None,
            expires_at: None,
            last_used_at: None,
        }
    }

    fn listening_cache() -> CredentialCache {
        let cache = CredentialCache::new();
        cache.set_listening(true);
        cache
    }

    #[test]
    fn nothing_is_served_or_kept_while_nobody_listens() {
        let cache = CredentialCache::new();
        let id = Uuid::new_v4();
        cache.put("k".into(), token(id), cache.generation());
        assert_eq!(cache.get("k"), None);

        cache.set_listening(true);
        cache.put("k".into(), token(id), cache.generation());
        assert_eq!(cache.get("k"), Some(token(id)));

        cache.set_listening(false);
        assert_eq!(cache.get("k"), None, "served while deaf");
        cache.set_listening(true);
        assert_eq!(cache.get("k"), None, "kept across a gap in listening");
    }

    #[test]
    fn a_read_that_raced_with_a_notification_is_not_kept() {
        let cache = listening_cache();
        let id = Uuid::new_v4();
        let read_at = cache.generation();
        cache.end(EndedCredential::Token(Uuid::new_v4()));
        cache.put("k".into(), token(id), read_at);
        assert_eq!(cache.get("k"), None);
    }

    #[test]
    fn an_ended_credential_is_dropped_and_others_stay() {
        let cache = listening_cache();
        let (revoked, kept) = (Uuid::new_v4(), Uuid::new_v4());
        cache.put("a".into(), token(revoked), cache.generation());
        cache.put("b".into(), token(kept), cache.generation());
        cache.end(EndedCredential::Token(revoked));
        assert_eq!(cache.get("a"), None);
        assert_eq!(cache.get("b"), Some(token(kept)));
        cache.forget("b");
        assert_eq!(cache.get("b"), None);
    }
}
