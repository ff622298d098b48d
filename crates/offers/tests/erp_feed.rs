//! The ERP pull under concurrent writers: a reader following `nextCursor` ends up having
//! seen every offer's final version, although commit order differs from the order in
//! which the writers took their sequence numbers.

use std::collections::HashMap;
use std::thread;
use std::time::{Duration, Instant};

use chrono::Utc;
use diesel::{Connection, PgConnection};
use orderpath_core::cursor::FeedPosition;
use orderpath_offers::{create_offer, get_offer, list_offer_changes, update_offer, OfferChange};
use orderpath_testing::fixtures::cart_with_lines;
use orderpath_testing::{read_while_writing, TestDatabase};
use uuid::Uuid;

/// Reads the feed from `cursor` to its current end, noting each offer's latest version.
fn read_feed(
    conn: &mut PgConnection,
    cursor: &mut Option<FeedPosition>,
    seen: &mut HashMap<Uuid, i64>,
) {
    loop {
        let page = list_offer_changes(conn, None, None, *cursor, 7, Utc::now()).expect("feed");
        *cursor = Some(
            FeedPosition::decode(page.next_cursor.as_deref().expect("cursor")).expect("decode"),
        );
        if page.items.is_empty() {
            return;
        }
        for offer in page.items {
            seen.insert(offer.id, offer.version);
        }
    }
}

#[test]
fn a_reader_following_the_cursor_sees_every_final_version_under_concurrent_writes() {
    let db = TestDatabase::new();
    let mut setup = db.connection();
    let cart = cart_with_lines(&mut setup, 2);
    let offers: Vec<Uuid> = (0..12)
        .map(|_| {
            create_offer(&mut setup, cart, None, Utc::now())
                .expect("offer")
                .id
        })
        .collect();

    let written = offers.clone();
    let write = move |w: usize, conn: &mut PgConnection| {
        for round in 0..15 {
            let offer = written[(w * 7 + round * 5) % written.len()];
            conn.transaction::<_, orderpath_core::Error, _>(|c| {
                let until = Utc::now() + chrono::Duration::hours(1 + (w * 100 + round) as i64);
                let change = OfferChange {
                    status: None,
                    valid_until: Some(Some(until)),
                };
                update_offer(c, offer, None, change, None, Utc::now())?;
                // Some writers commit late, after others that started after them.
                if round % 3 == w % 3 {
                    thread::sleep(Duration::from_millis(4));
                }
                Ok(())
            })
            .expect("update");
        }
    };
    let read =
        |reader: &mut PgConnection, (cursor, seen): &mut (_, _)| read_feed(reader, cursor, seen);
    let state = (None, HashMap::new());
    let (_, mut reader, (mut cursor, mut seen)) = read_while_writing(&db, 4, write, state, read);

    let finals: HashMap<Uuid, i64> = offers
        .iter()
        .map(|id| {
            (
                *id,
                get_offer(&mut setup, *id, None, Utc::now())
                    .expect("offer")
                    .version,
            )
        })
        .collect();
    // Transactions of other tests may hold the feed back briefly (the horizon is
    // cluster-wide); they never make it skip. Keep following until it catches up.
    let deadline = Instant::now() + Duration::from_secs(10);
    while seen != finals && Instant::now() < deadline {
        read_feed(&mut reader, &mut cursor, &mut seen);
        thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(
        seen, finals,
        "the reader must end on every offer's final version"
    );
}
