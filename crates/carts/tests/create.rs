//! Carts created together in one statement: each answered on its own, each with its own
//! `CART_OPENED`, recorded in the order asked; a cart for an unknown customer writes
//! nothing and spoils none of the others.

use std::thread;
use std::time::Duration;

use chrono::Utc;
use diesel::prelude::*;
use orderpath_carts::{create_cart, create_carts, CartStatus, NewCart, Source};
use orderpath_core::events::{EventType, RecordedEvent};
use orderpath_core::Error;
use orderpath_db::events::feed;
use orderpath_db::schema::{carts, domain_events};
use orderpath_testing::fixtures::customer;
use orderpath_testing::{kept_statements, TestDatabase};
use uuid::Uuid;

fn asked(customer_id: Uuid, source: Source) -> NewCart {
    NewCart {
        customer_id,
        source,
        user_id: Uuid::new_v4(),
        now: Utc::now(),
    }
}

#[test]
fn carts_created_together_are_each_answered_and_each_opened_in_the_order_asked() {
    let (_db, mut conn) = TestDatabase::connected();
    let (ann, bob) = (customer(&mut conn), customer(&mut conn));
    let batch = vec![
        asked(ann, Source::Backoffice),
        asked(Uuid::new_v4(), Source::Backoffice),
        asked(bob, Source::Ofe),
        asked(ann, Source::Ofe),
    ];
    let created = create_carts(&mut conn, batch.clone()).expect("created");

    assert_eq!(created.len(), 4, "one answer for each cart asked");
    assert!(created[1].is_none(), "no cart for an unknown customer");
    let carts = [0, 2, 3].map(|i| created[i].clone().expect("created"));
    for (cart, asked) in carts.iter().zip([&batch[0], &batch[2], &batch[3]]) {
        assert_eq!(cart.customer_id, asked.customer_id);
        assert_eq!(cart.source, asked.source);
        assert_eq!(cart.status, CartStatus::Open);
        assert_eq!(cart.currency, "EUR", "the customer's currency");
        assert_eq!(cart.version, 1);
        assert!(cart.lines.is_empty());
    }
    let stored: i64 = carts::table.count().get_result(&mut conn).unwrap();
    assert_eq!(stored, 3);

    let events = opened_events(&mut conn, 3);
    let opened: Vec<(String, String, String)> = events
        .iter()
        .map(|e| {
            let text = |k: &str| e.data[k].as_str().unwrap_or_default().to_string();
            (text("cartId"), text("customerId"), text("userId"))
        })
        .collect();
    let expected: Vec<(String, String, String)> = carts
        .iter()
        .zip([&batch[0], &batch[2], &batch[3]])
        .map(|(c, a)| {
            (
                c.id.to_string(),
                a.customer_id.to_string(),
                a.user_id.to_string(),
            )
        })
        .collect();
    assert_eq!(
        opened, expected,
        "one event per cart created, in the order asked"
    );
}

/// The `CART_OPENED` events once `count` are readable: the feed holds back events while
/// an older transaction (of any test sharing the server) is still running.
fn opened_events(conn: &mut PgConnection, count: usize) -> Vec<RecordedEvent> {
    for _ in 0..200 {
        let events = feed(conn, Some(EventType::CartOpened), None, 10)
            .expect("events")
            .items;
        if events.len() >= count {
            return events;
        }
        thread::sleep(Duration::from_millis(50));
    }
    panic!("fewer than {count} CART_OPENED events after 10 seconds");
}

#[test]
fn a_cart_alone_for_an_unknown_customer_is_refused_on_its_field() {
    let (_db, mut conn) = TestDatabase::connected();
    let refused = create_cart(
        &mut conn,
        Uuid::new_v4(),
        Source::Backoffice,
        Uuid::new_v4(),
        Utc::now(),
    )
    .unwrap_err();
    assert!(
        matches!(&refused, Error::Validation(fields) if fields[0].field == "customerId"),
        "{refused:?}"
    );
    let carts: i64 = carts::table.count().get_result(&mut conn).unwrap();
    let events: i64 = domain_events::table.count().get_result(&mut conn).unwrap();
    assert_eq!((carts, events), (0, 0), "nothing written");
}

#[test]
fn batches_of_any_size_share_one_kept_statement() {
    let (_db, mut conn) = TestDatabase::connected();
    let ann = customer(&mut conn);
    for size in [1, 3, 7] {
        let batch = (0..size).map(|_| asked(ann, Source::Backoffice)).collect();
        let created = create_carts(&mut conn, batch).expect("created");
        assert!(created.iter().all(Option::is_some));
    }
    assert_eq!(kept_statements(&mut conn, "WITH asked AS"), 1);
}
