//! `NUMERIC` as PostgreSQL sends it reads into the same `Decimal`, scale included, through
//! `orderpath_db::numeric` as through the generic conversion, for the values our columns
//! hold and for those only the generic conversion can read.

use diesel::prelude::*;
use diesel::sql_types::{Nullable, Numeric, Text};
use orderpath_db::numeric::{ExactDecimal, OptionalDecimal};
use orderpath_testing::TestDatabase;
use rust_decimal::Decimal;

#[derive(QueryableByName)]
struct Read {
    #[diesel(sql_type = Numeric)]
    generic: Decimal,
    #[diesel(sql_type = Numeric, deserialize_as = ExactDecimal)]
    exact: Decimal,
}

#[test]
fn every_kind_of_value_reads_as_the_generic_conversion_reads_it() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    let values = [
        "0",
        "0.00",
        "1",
        "-1",
        "10.00",
        "12.50",
        "-12.50",
        "0.0001",
        "0.000100",
        "997.123",
        "613.777",
        "301.999",
        "5000000.000",
        "23",
        "0.5",
        "1234567890123.4567",
        "99999999999999999999.99",
        "-0.001",
        "100000000",
        "0.1234567890123456789012345678",
        // Beyond what one integer of the display scale holds: the generic conversion's.
        "7.9228162514264337593543950336",
        "0.12345678901234567890123456789012",
    ];
    for text in values {
        let read: Read = diesel::sql_query("SELECT $1::numeric AS generic, $1::numeric AS exact")
            .bind::<Text, _>(text)
            .get_result(&mut conn)
            .unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(read.exact, read.generic, "{text}");
        assert_eq!(read.exact.scale(), read.generic.scale(), "{text}");
        assert_eq!(read.exact.to_string(), read.generic.to_string(), "{text}");
    }
}

#[derive(QueryableByName)]
struct Optional {
    #[diesel(sql_type = Nullable<Numeric>, deserialize_as = OptionalDecimal)]
    value: Option<Decimal>,
}

#[test]
fn a_null_reads_as_none_and_a_value_as_some() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    let read = |sql: &str, conn: &mut PgConnection| -> Option<Decimal> {
        diesel::sql_query(sql)
            .get_result::<Optional>(conn)
            .expect("read")
            .value
    };
    assert_eq!(read("SELECT NULL::numeric AS value", &mut conn), None);
    assert_eq!(
        read("SELECT 12.50::numeric AS value", &mut conn).map(|d| d.to_string()),
        Some("12.50".to_string())
    );
}
