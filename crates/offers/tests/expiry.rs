//! The expiry sweep writes down the expiry of open offers whose `validUntil` has passed,
//! and of no other offer, once.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use orderpath_offers::{create_offer, expire_offers, update_offer, OfferChange, OfferStatus};
use orderpath_testing::fixtures::cart_with_lines;
use orderpath_testing::TestDatabase;
use uuid::Uuid;

fn stored(conn: &mut PgConnection, offer: Uuid) -> (String, i64) {
    orderpath_db::schema::offers::table
        .find(offer)
        .select((
            orderpath_db::schema::offers::status,
            orderpath_db::schema::offers::version,
        ))
        .first(conn)
        .expect("offer")
}

#[test]
fn only_open_offers_past_their_validity_are_written_expired_and_only_once() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    let now = Utc::now();
    let cart = cart_with_lines(&mut conn, 1);
    let offer = |conn: &mut PgConnection, hours: i64| {
        create_offer(conn, cart, Some(now + Duration::hours(hours)), now)
            .expect("offer")
            .id
    };
    let decide = |conn: &mut PgConnection, offer: Uuid, status: OfferStatus| {
        let change = OfferChange {
            status: Some(status),
            valid_until: None,
        };
        update_offer(conn, offer, None, change, None, now).expect("status");
    };
    let draft_due = offer(&mut conn, 1);
    let sent_due = offer(&mut conn, 1);
    decide(&mut conn, sent_due, OfferStatus::Sent);
    let accepted = offer(&mut conn, 1);
    decide(&mut conn, accepted, OfferStatus::Sent);
    decide(&mut conn, accepted, OfferStatus::Accepted);
    let draft_later = offer(&mut conn, 5);
    let before: Vec<_> = [draft_due, sent_due, accepted, draft_later]
        .map(|o| stored(&mut conn, o))
        .into();

    let later = now + Duration::hours(2);
    assert_eq!(expire_offers(&mut conn, later).expect("sweep"), 2);
    for (offer, (status, version)) in [draft_due, sent_due].into_iter().zip(&before) {
        assert_eq!(
            stored(&mut conn, offer),
            ("EXPIRED".into(), version + 1),
            "{status}"
        );
    }
    assert_eq!(stored(&mut conn, accepted), before[2]);
    assert_eq!(stored(&mut conn, draft_later), before[3]);
    assert_eq!(expire_offers(&mut conn, later).expect("again"), 0);
}
