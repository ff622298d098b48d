//! Opaque pagination cursors. A cursor is the key of the last item a client has seen,
//! base64url-encoded so clients treat it as a token rather than something to build.

use std::str::FromStr;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, SecondsFormat, Utc};
use uuid::Uuid;

use crate::Error;

const SEPARATOR: char = '\u{1f}';

pub fn encode(parts: &[&str]) -> String {
    URL_SAFE_NO_PAD.encode(parts.join(&SEPARATOR.to_string()))
}

/// Decodes a cursor made by [`encode`] with exactly `count` parts; anything else is a
/// 400-class error on the `cursor` parameter. No key this service issues holds a control
/// character, so a part with one (a NUL, which PostgreSQL refuses) is refused the same way.
pub fn decode(cursor: &str, count: usize) -> Result<Vec<String>, Error> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let parts: Vec<String> = text.split(SEPARATOR).map(str::to_string).collect();
    if parts.len() != count || parts.iter().any(|p| p.chars().any(char::is_control)) {
        return Err(invalid());
    }
    Ok(parts)
}

/// Decodes a one-part cursor into its key (a SKU, a sequence number).
pub fn decode_key<T: FromStr>(cursor: &str) -> Result<T, Error> {
    parse_part(&decode(cursor, 1)?[0])
}

/// Parses one part of a decoded cursor; a part that does not parse is the same error as
/// a cursor that does not decode.
pub fn parse_part<T: FromStr>(part: &str) -> Result<T, Error> {
    part.parse().map_err(|_| invalid())
}

fn invalid() -> Error {
    Error::field("cursor", "is not a cursor this service issued")
}

/// A position in a commit-ordered change feed: the writing transaction's id and the row's
/// sequence number within the table. A feed shows only rows of transactions older than
/// the oldest one still running, so a reader following positions never skips a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct FeedPosition {
    pub txid: i64,
    pub seq: i64,
}

impl FeedPosition {
    pub fn encode(&self) -> String {
        encode(&[&self.txid.to_string(), &self.seq.to_string()])
    }

    pub fn decode(cursor: &str) -> Result<Self, Error> {
        let parts = decode(cursor, 2)?;
        Ok(FeedPosition {
            txid: parse_part(&parts[0])?,
            seq: parse_part(&parts[1])?,
        })
    }
}

/// The key of a list ordered newest first: the creation time, then the id, which keeps
/// the order total when two items share a creation time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreatedKey {
    pub created_at: DateTime<Utc>,
    pub id: Uuid,
}

impl CreatedKey {
    pub fn encode(&self) -> String {
        let at = self.created_at.to_rfc3339_opts(SecondsFormat::AutoSi, true);
        encode(&[&at, &self.id.to_string()])
    }

    pub fn decode(cursor: &str) -> Result<Self, Error> {
        let parts = decode(cursor, 2)?;
        Ok(CreatedKey {
            created_at: parse_part(&parts[0])?,
            id: parse_part(&parts[1])?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_positions_survive_a_round_trip() {
        let position = FeedPosition { txid: 812, seq: 4 };
        assert_eq!(
            FeedPosition::decode(&position.encode()).ok(),
            Some(position)
        );
    }

    #[test]
    fn keys_survive_a_round_trip_and_unparsable_ones_are_refused() {
        assert_eq!(decode_key::<i64>(&encode(&["42"])).ok(), Some(42));
        assert_eq!(
            decode_key::<String>(&encode(&["SKU-1"])).ok(),
            Some("SKU-1".into())
        );
        assert!(decode_key::<i64>(&encode(&["x"])).is_err());
        assert!(decode_key::<i64>(&encode(&["1", "2"])).is_err());
    }

    #[test]
    fn a_cursor_holding_a_control_character_is_refused() {
        // "AA" decodes to one NUL byte.
        assert!(decode_key::<String>("AA").is_err());
        assert!(decode_key::<String>(&encode(&["SKU\t1"])).is_err());
        assert!(decode(&encode(&["a", "b\u{7f}"]), 2).is_err());
        assert_eq!(
            decode(&encode(&["a", "b"]), 2).ok(),
            Some(vec!["a".into(), "b".into()])
        );
    }

    #[test]
    fn created_keys_survive_a_round_trip_to_the_microsecond() {
        let created_at = DateTime::parse_from_rfc3339("2026-11-28T10:15:30.123456Z")
            .expect("time")
            .with_timezone(&Utc);
        let key = CreatedKey {
            created_at,
            id: Uuid::new_v4(),
        };
        assert_eq!(CreatedKey::decode(&key.encode()).ok(), Some(key));
        assert!(CreatedKey::decode(&encode(&["yesterday", &key.id.to_string()])).is_err());
        assert!(CreatedKey::decode(&encode(&["2026-11-28T10:15:30Z"])).is_err());
    }

    #[test]
    fn foreign_cursors_are_refused() {
        assert!(FeedPosition::decode("not base64!").is_err());
        assert!(FeedPosition::decode(&encode(&["1"])).is_err());
        assert!(FeedPosition::decode(&encode(&["a", "b"])).is_err());
    }
}
