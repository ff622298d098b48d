//! Opaque pagination cursors. A cursor is the key of the last item a client has seen,
//! base64url-encoded so clients treat it as a token rather than something to build.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::Error;

const SEPARATOR: char = '\u{1f}';

pub fn encode(parts: &[&str]) -> String {
    URL_SAFE_NO_PAD.encode(parts.join(&SEPARATOR.to_string()))
}

/// Decodes a cursor made by [`encode`] with exactly `count` parts; anything else is a
/// 400-class error on the `cursor` parameter.
pub fn decode(cursor: &str, count: usize) -> Result<Vec<String>, Error> {
    let invalid = || Error::field("cursor", "is not a cursor this service issued");
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let parts: Vec<String> = text.split(SEPARATOR).map(str::to_string).collect();
    if parts.len() != count {
        return Err(invalid());
    }
    Ok(parts)
}

/// A position in a commit-ordered change feed: the writing transaction's id and the row's
/// sequence number within the table. See [`crate::events`] for why this never skips a row.
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
        let number = |s: &str| {
            s.parse::<i64>()
                .map_err(|_| Error::field("cursor", "is not a cursor this service issued"))
        };
        Ok(FeedPosition {
            txid: number(&parts[0])?,
            seq: number(&parts[1])?,
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
    fn foreign_cursors_are_refused() {
        assert!(FeedPosition::decode("not base64!").is_err());
        assert!(FeedPosition::decode(&encode(&["1"])).is_err());
        assert!(FeedPosition::decode(&encode(&["a", "b"])).is_err());
    }
}
