//! Passwords: checked for length before anything else, stored only as Argon2id PHC
//! strings (the `argon2` crate's default parameters), never kept in clear.

use std::fmt;
use std::sync::OnceLock;

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use orderpath_core::FieldError;

/// The shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The longest password accepted, in bytes. Anything longer is refused before hashing,
/// so nobody can make the service hash megabytes.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// A new password that passed the length rules. Only this type can be hashed, so a
/// password that breaks them never reaches Argon2.
pub struct Password(String);

impl Password {
    /// Checks the length rules; the error names the field `password`.
    pub fn new(password: impl Into<String>) -> Result<Self, FieldError> {
        let password = password.into();
        if password.len() > MAX_PASSWORD_BYTES {
            return Err(FieldError::new(
                "password",
                format!("must be at most {MAX_PASSWORD_BYTES} bytes long"),
            ));
        }
        if password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(FieldError::new(
                "password",
                format!("must be at least {MIN_PASSWORD_CHARS} characters long"),
            ));
        }
        Ok(Password(password))
    }

    /// The Argon2id PHC string of this password, with a fresh random salt.
    pub(crate) fn hash(&self) -> String {
        Argon2::default()
            .hash_password(self.0.as_bytes())
            .map(|hash| hash.to_string())
            // Fails only when the operating system cannot provide random bytes for the salt.
            .expect("hashing a password of valid length with Argon2id")
    }
}

/// Never shows the password, not even in logs of a failed request.
impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(..)")
    }
}

/// Whether `presented` matches the stored PHC string. An overlong password is refused
/// without hashing; an unreadable stored hash matches nothing.
pub(crate) fn verify(presented: &str, phc: &str) -> bool {
    presented.len() <= MAX_PASSWORD_BYTES
        && Argon2::default()
            .verify_password(presented.as_bytes(), phc)
            .is_ok()
}

/// Spends the time of a real verification and fails: the answer for an email that
/// belongs to nobody takes as long as the answer for a wrong password.
pub(crate) fn verify_against_nobody(presented: &str) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| {
        Password::new("a password nobody has".to_string())
            .expect("the dummy password has a valid length")
            .hash()
    });
    verify(presented, dummy);
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_rules_count_characters_at_the_bottom_and_bytes_at_the_top() {
        assert!(Password::new("a".repeat(11)).is_err());
        assert!(Password::new("a".repeat(12)).is_ok());
        assert!(
            Password::new("é".repeat(12)).is_ok(),
            "12 characters, 24 bytes"
        );
        assert!(Password::new("a".repeat(MAX_PASSWORD_BYTES)).is_ok());
        let too_long = Password::new("a".repeat(MAX_PASSWORD_BYTES + 1)).unwrap_err();
        assert_eq!(too_long.field, "password");
    }

    #[test]
    fn a_hash_is_an_argon2id_phc_string_that_verifies_only_its_password() {
        let hash = Password::new("correct horse battery").unwrap().hash();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify("correct horse battery", &hash));
        assert!(!verify("correct horse battery!", &hash));
        assert!(!verify("anything at all", "not a PHC string"));
    }

    #[test]
    fn the_debug_form_hides_the_password() {
        let shown = format!("{:?}", Password::new("correct horse battery").unwrap());
        assert!(!shown.contains("horse"), "{shown}");
    }
}
