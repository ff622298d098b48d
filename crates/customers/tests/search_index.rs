//! A customer search is served by the trigram index, not by reading the whole table, in a
//! table large enough for PostgreSQL to prefer an index when one fits.

use diesel::prelude::*;
use diesel::sql_types::Text;
use orderpath_customers::list_customers;
use orderpath_testing::{number, TestDatabase};

/// How many scans of `relation` this transaction made: sequential scans of a table,
/// index scans of an index.
fn scans_in_this_transaction(conn: &mut PgConnection, relation: &str) -> i64 {
    let scans = diesel::sql_query("SELECT pg_stat_get_xact_numscans($1::regclass) AS n")
        .bind::<Text, _>(relation);
    number(conn, scans)
}

#[test]
fn a_rare_text_is_found_through_the_trigram_index_without_a_table_scan() {
    let (_db, mut conn) = TestDatabase::connected();
    diesel::sql_query(
        "INSERT INTO customers (id, name, external_id, currency, email)
         SELECT gen_random_uuid(), 'Customer ' || md5(i::text), 'ERP-' || i, 'EUR',
                'buyer' || i || '@example.com'
         FROM generate_series(1, 5000) AS i",
    )
    .execute(&mut conn)
    .expect("customers");
    diesel::sql_query("ANALYZE customers")
        .execute(&mut conn)
        .expect("analyze");

    conn.transaction(|conn| {
        let page = list_customers(conn, Some("BUYER4321@"), None, 50).expect("search");
        assert_eq!(page.items.len(), 1);
        assert_eq!(page.items[0].external_id.as_deref(), Some("ERP-4321"));
        assert!(scans_in_this_transaction(conn, "customers_search_idx") > 0);
        assert_eq!(scans_in_this_transaction(conn, "customers"), 0);
        Ok::<_, diesel::result::Error>(())
    })
    .expect("transaction");
}

#[test]
fn a_short_text_is_found_through_the_index_of_pairs_without_a_table_scan() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    diesel::sql_query(
        "INSERT INTO customers (id, name, external_id, currency, email)
         SELECT gen_random_uuid(), 'Customer ' || md5(i::text), 'ERP-' || i, 'EUR',
                'buyer' || i || '@example.com'
         FROM generate_series(1, 5000) AS i
         UNION ALL
         SELECT gen_random_uuid(), 'Quantum Kable', NULL, 'EUR', NULL",
    )
    .execute(&mut conn)
    .expect("customers");
    diesel::sql_query("ANALYZE customers")
        .execute(&mut conn)
        .expect("analyze");

    // Hexadecimal names, numbered ids and emails hold none of these but the last
    // customer, who sorts after the first 2,000 in name order.
    for (search, found) in [("q", 1), ("QU", 1), ("m k", 1), ("zz", 0), ("%", 0)] {
        conn.transaction(|conn| {
            let page = list_customers(conn, Some(search), None, 50).expect("search");
            let names: Vec<_> = page.items.iter().map(|c| c.name.as_str()).collect();
            assert_eq!(names, vec!["Quantum Kable"; found], "search {search:?}");
            assert!(
                scans_in_this_transaction(conn, "customers_short_search_idx") > 0,
                "search {search:?}"
            );
            assert_eq!(scans_in_this_transaction(conn, "customers"), 0);
            Ok::<_, diesel::result::Error>(())
        })
        .expect("transaction");
    }
}
