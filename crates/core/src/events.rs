//! Domain events: their kinds and an event as recorded. Events are written to an outbox
//! in the transaction of the change that caused them and read back through a
//! commit-ordered feed; both live with the store (`orderpath_db::events`).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::cursor::FeedPosition;

crate::stored_enum! {
    /// The kinds of event orderpath records, stored and sent by their `SCREAMING_SNAKE_CASE`
    /// names (`CART_OPENED`).
    #[derive(strum::EnumIter, strum::VariantNames)]
    pub enum EventType {
        CartOpened,
        ClientLogged,
        OfferOpened,
        OrderPlaced,
        ShipmentReady,
    }
}

/// An event as stored and as the feed returns it.
#[derive(Debug, Clone)]
pub struct RecordedEvent {
    pub id: Uuid,
    pub event_type: EventType,
    pub occurred_at: DateTime<Utc>,
    pub data: serde_json::Value,
    /// Where the event stands in the feed.
    pub position: FeedPosition,
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::{IntoEnumIterator, VariantNames};

    #[test]
    fn event_types_are_named_alike_in_storage_and_in_json() {
        for t in EventType::iter() {
            let stored: &str = t.into();
            assert_eq!(stored.parse::<EventType>().ok(), Some(t));
            assert_eq!(serde_json::to_value(t).ok(), Some(stored.into()));
        }
        assert_eq!(EventType::VARIANTS[1], "CLIENT_LOGGED");
        assert!("cart_opened".parse::<EventType>().is_err());
    }
}
