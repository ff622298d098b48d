//! Bearer-token authentication. Tokens are random, shown once, and stored only as their
//! SHA-256 hash; each carries a name, a role and, for customers, the customer it speaks for.

mod caller;
pub use caller::TokenCache;
mod tokens;

pub use caller::Caller;
pub use tokens::{create_token, find_token, hash_token, Role, TokenRecord};
