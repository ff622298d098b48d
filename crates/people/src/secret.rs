//! Bearer secrets: 256 random bits, shown once, stored only as their SHA-256. A fast hash
//! is enough here: with 256 random bits there is nothing to brute-force.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// How machine tokens begin.
pub(crate) const API_TOKEN_PREFIX: &str = "op_";
/// How session tokens begin. No machine token begins so (`op_` is followed by hex digits
/// only), which tells the two kinds apart without a second lookup.
pub(crate) const SESSION_TOKEN_PREFIX: &str = "ops_";

/// The hex SHA-256 of a token: what the database keeps and looks tokens up by.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new random token: `prefix` and 64 hex digits.
pub(crate) fn new_token(prefix: &str) -> String {
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    format!("{prefix}{}", hex::encode(secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_prefixed_random_and_hashed_to_hex() {
        let a = new_token(SESSION_TOKEN_PREFIX);
        let b = new_token(SESSION_TOKEN_PREFIX);
        assert_ne!(a, b);
        assert!(a.starts_with(SESSION_TOKEN_PREFIX));
        assert_eq!(a.len(), SESSION_TOKEN_PREFIX.len() + 64);
        assert_eq!(hash_token(&a).len(), 64);
        assert_ne!(hash_token(&a), hash_token(&b));
    }
}
