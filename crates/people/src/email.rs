//! Emails are compared case-insensitively. The database's `lower()` is the one definition
//! of "the same email": the unique index, the sign-in lookup and the throttle all use it,
//! so they can never disagree about which spellings are one address.

use diesel::prelude::*;
use diesel::sql_types::Text;
use orderpath_core::{FieldError, Result};

diesel::define_sql_function! {
    /// PostgreSQL's `lower(text)`.
    fn lower(text: Text) -> Text;
}

/// The longest address mail systems deliver to.
const MAX_EMAIL_CHARS: usize = 254;

/// The email as given, trimmed, if it looks like an address: one `@` with something on
/// both sides, no spaces. Whether it is deliverable is not this service's business.
pub(crate) fn check_email(email: &str) -> Result<&str, FieldError> {
    let email = email.trim();
    let plausible = email.chars().count() <= MAX_EMAIL_CHARS
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && matches!(email.split_once('@'), Some((local, domain))
            if !local.is_empty() && !domain.is_empty() && !domain.contains('@'));
    if plausible {
        Ok(email)
    } else {
        Err(FieldError::new("email", "must be an email address"))
    }
}

/// The key an email is known by: trimmed and lower-cased by the database.
pub(crate) fn email_key(conn: &mut PgConnection, email: &str) -> Result<String> {
    Ok(diesel::select(lower(email.trim())).get_result(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plausible_addresses_pass_trimmed_and_others_name_the_email_field() {
        assert_eq!(check_email("  Ann@Example.com "), Ok("Ann@Example.com"));
        for bad in [
            "",
            "ann",
            "@example.com",
            "ann@",
            "a@b@c",
            "ann smith@example.com",
        ] {
            assert_eq!(check_email(bad).unwrap_err().field, "email", "{bad:?}");
        }
        assert!(check_email(&format!("{}@example.com", "a".repeat(250))).is_err());
    }
}
