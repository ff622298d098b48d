//! Standard Webhooks signatures (<https://www.standardwebhooks.com/>): `v1,` + base64 of
//! HMAC-SHA256 over `{msg_id}.{timestamp}.{body}`, keyed with the secret's decoded bytes.
//!
//! Receivers that already speak the scheme (Svix libraries, the `standardwebhooks` packages)
//! can check our deliveries without custom code, and our own sample receiver uses [`verify`].

use std::fmt;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The textual prefix of every secret, as the scheme defines it.
const PREFIX: &str = "whsec_";
/// The scheme asks for keys of 24 to 64 bytes; shorter keys are too weak, longer ones pointless.
const MIN_KEY_LEN: usize = 24;
const MAX_KEY_LEN: usize = 64;
/// The length of keys made by [`SigningSecret::generate`].
const GENERATED_KEY_LEN: usize = 32;
/// The only signature version this crate produces and accepts.
const VERSION: &str = "v1";

/// A webhook signing secret: `whsec_` followed by the base64 of 24–64 random bytes.
///
/// `Debug` never shows the key; `Display` (and so `to_string()`) gives the `whsec_…` form,
/// which is what is stored and shown once to the operator.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningSecret {
    key: Vec<u8>,
}

/// Why a text is not a signing secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error("a signing secret starts with \"whsec_\"")]
    MissingPrefix,
    #[error("a signing secret is \"whsec_\" followed by base64")]
    InvalidBase64,
    #[error("a signing secret holds 24 to 64 bytes, this one {0}")]
    BadLength(usize),
}

impl SigningSecret {
    /// Parses `whsec_<base64>` (standard alphabet, padded or not).
    pub fn parse(s: &str) -> Result<Self, SecretError> {
        let encoded = s.strip_prefix(PREFIX).ok_or(SecretError::MissingPrefix)?;
        let key = BASE64
            .decode(encoded)
            .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(encoded))
            .map_err(|_| SecretError::InvalidBase64)?;
        if !(MIN_KEY_LEN..=MAX_KEY_LEN).contains(&key.len()) {
            return Err(SecretError::BadLength(key.len()));
        }
        Ok(SigningSecret { key })
    }

    /// A fresh secret of 32 bytes from the thread-local CSPRNG (ChaCha, seeded by the OS).
    pub fn generate() -> Self {
        let mut key = vec![0u8; GENERATED_KEY_LEN];
        rand::rng().fill(&mut key[..]);
        SigningSecret { key }
    }

    fn mac(&self) -> HmacSha256 {
        // HMAC takes keys of any length; the error arm cannot happen.
        HmacSha256::new_from_slice(&self.key).expect("HMAC accepts any key length")
    }
}

impl fmt::Display for SigningSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PREFIX}{}", BASE64.encode(&self.key))
    }
}

impl fmt::Debug for SigningSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningSecret(<redacted>)")
    }
}

impl std::str::FromStr for SigningSecret {
    type Err = SecretError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Why a delivery's signature was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// Too old (possible replay) or too far in the future (clock skew or forgery).
    #[error("timestamp {timestamp} is more than {tolerance_secs} s away from now ({now})")]
    TimestampOutOfTolerance {
        timestamp: i64,
        now: i64,
        tolerance_secs: i64,
    },
    #[error("the header holds no v1 signature")]
    NoSignature,
    #[error("no signature matches")]
    Mismatch,
}

fn tagged_mac(secret: &SigningSecret, msg_id: &str, timestamp: i64, body: &[u8]) -> HmacSha256 {
    let mut mac = secret.mac();
    mac.update(msg_id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The `webhook-signature` header value for one message: `v1,<base64 HMAC-SHA256>`.
pub fn sign(secret: &SigningSecret, msg_id: &str, timestamp: i64, body: &[u8]) -> String {
    let tag = tagged_mac(secret, msg_id, timestamp, body)
        .finalize()
        .into_bytes();
    format!("{VERSION},{}", BASE64.encode(tag))
}

/// Checks a `webhook-signature` header as a receiver should.
///
/// The header may hold several space-separated signatures (for secret rotation); one valid
/// `v1` signature suffices, other versions are ignored. Comparison is in constant time. The
/// timestamp must be within `tolerance_secs` of `now` in either direction, which bounds replay.
pub fn verify(
    secret: &SigningSecret,
    msg_id: &str,
    timestamp: i64,
    body: &[u8],
    signature_header: &str,
    now: i64,
    tolerance_secs: i64,
) -> Result<(), VerifyError> {
    if now.abs_diff(timestamp) > tolerance_secs.max(0).unsigned_abs() {
        return Err(VerifyError::TimestampOutOfTolerance {
            timestamp,
            now,
            tolerance_secs,
        });
    }
    let expected = tagged_mac(secret, msg_id, timestamp, body);
    let mut saw_v1 = false;
    for candidate in signature_header.split_whitespace() {
        let Some((VERSION, encoded)) = candidate.split_once(',') else {
            continue;
        };
        saw_v1 = true;
        let Ok(given) = BASE64.decode(encoded) else {
            continue;
        };
        // `verify_slice` compares in constant time.
        if expected.clone().verify_slice(&given).is_ok() {
            return Ok(());
        }
    }
    Err(if saw_v1 {
        VerifyError::Mismatch
    } else {
        VerifyError::NoSignature
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // The example of the Standard Webhooks specification.
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TS: i64 = 1614265330;
    const BODY: &[u8] = br#"{"test": 2432232314}"#;
    const SIG: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    fn secret() -> SigningSecret {
        SigningSecret::parse(SECRET).expect("spec secret")
    }

    fn check(id: &str, ts: i64, body: &[u8], header: &str) -> Result<(), VerifyError> {
        verify(&secret(), id, ts, body, header, TS, 300)
    }

    #[test]
    fn signs_the_specification_example() {
        assert_eq!(sign(&secret(), ID, TS, BODY), SIG);
        assert_eq!(check(ID, TS, BODY, SIG), Ok(()));
    }

    #[test]
    fn secret_round_trips_through_text() {
        assert_eq!(secret().to_string(), SECRET);
        let fresh = SigningSecret::generate();
        assert!(fresh.to_string().starts_with("whsec_"));
        assert_eq!(SigningSecret::parse(&fresh.to_string()), Ok(fresh.clone()));
        assert_ne!(SigningSecret::generate(), fresh);
        assert_eq!(format!("{fresh:?}"), "SigningSecret(<redacted>)");
    }

    #[test]
    fn rejects_malformed_secrets() {
        use SecretError::*;
        assert_eq!(
            SigningSecret::parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            Err(MissingPrefix)
        );
        assert_eq!(
            SigningSecret::parse("whsec_not base64!"),
            Err(InvalidBase64)
        );
        assert_eq!(SigningSecret::parse("whsec_c2hvcnQ="), Err(BadLength(5)));
        assert_eq!(SigningSecret::parse("whsec_"), Err(BadLength(0)));
        let long = format!("whsec_{}", BASE64.encode([7u8; 65]));
        assert_eq!(SigningSecret::parse(&long), Err(BadLength(65)));
    }

    #[test]
    fn rejects_tampering() {
        assert_eq!(
            check(ID, TS, br#"{"test": 2432232315}"#, SIG),
            Err(VerifyError::Mismatch)
        );
        assert_eq!(
            check("msg_other", TS, BODY, SIG),
            Err(VerifyError::Mismatch)
        );
        assert_eq!(check(ID, TS + 1, BODY, SIG), Err(VerifyError::Mismatch));
        let tweaked = SIG.replace("g0hM", "g0hN");
        assert_eq!(check(ID, TS, BODY, &tweaked), Err(VerifyError::Mismatch));
    }

    #[test]
    fn rejects_a_wrong_secret() {
        let other = SigningSecret::generate();
        assert_eq!(
            verify(&other, ID, TS, BODY, SIG, TS, 300),
            Err(VerifyError::Mismatch)
        );
    }

    #[test]
    fn accepts_any_of_several_signatures() {
        let other = sign(&SigningSecret::generate(), ID, TS, BODY);
        assert_eq!(check(ID, TS, BODY, &format!("{other} {SIG}")), Ok(()));
        assert_eq!(
            check(ID, TS, BODY, &format!("v1a,abc {SIG}  v1,@@@")),
            Ok(())
        );
        assert_eq!(
            check(ID, TS, BODY, &format!("{other} v1,@@@")),
            Err(VerifyError::Mismatch)
        );
    }

    #[test]
    fn needs_a_v1_signature() {
        assert_eq!(check(ID, TS, BODY, ""), Err(VerifyError::NoSignature));
        let unversioned = SIG.trim_start_matches("v1,");
        assert_eq!(
            check(ID, TS, BODY, unversioned),
            Err(VerifyError::NoSignature)
        );
        let v2 = SIG.replace("v1,", "v2,");
        assert_eq!(check(ID, TS, BODY, &v2), Err(VerifyError::NoSignature));
    }

    #[test]
    fn enforces_the_timestamp_tolerance() {
        let s = secret();
        assert_eq!(verify(&s, ID, TS, BODY, SIG, TS + 300, 300), Ok(()));
        assert_eq!(verify(&s, ID, TS, BODY, SIG, TS - 300, 300), Ok(()));
        let expired = verify(&s, ID, TS, BODY, SIG, TS + 301, 300);
        assert!(matches!(
            expired,
            Err(VerifyError::TimestampOutOfTolerance { .. })
        ));
        let future = verify(&s, ID, TS, BODY, SIG, TS - 301, 300);
        assert!(matches!(
            future,
            Err(VerifyError::TimestampOutOfTolerance { .. })
        ));
        let extreme = verify(&s, ID, i64::MIN, BODY, SIG, i64::MAX, 300);
        assert!(matches!(
            extreme,
            Err(VerifyError::TimestampOutOfTolerance { .. })
        ));
    }
}
