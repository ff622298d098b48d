//! Who is calling. Bearer tokens are either sessions (a user signed in with email and
//! password) or machine tokens; both are random, shown once, and stored only as their
//! SHA-256 hash. The `people` crate resolves them; this module extracts the caller per
//! request, keeps recently seen credentials in a cache that PostgreSQL notifications keep
//! honest across instances, and listens for those notifications.

mod cache;
mod caller;
mod listener;
mod tokens;

pub use cache::CredentialCache;
pub use caller::{bearer_token, Caller};
pub use listener::listen_for_ended_credentials;
pub use tokens::{
    create_token, find_token, hash_token, Principal, PrincipalKind, Role, TokenRecord,
};
