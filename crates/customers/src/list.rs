//! Customers by name, for the backoffice's customer picker: ordered by name ignoring case
//! (then by id), optionally only those whose name, external id or email contains a text.
//!
//! A search is read in one of two ways, because neither is fast for every text. Walking
//! the name index and keeping the matches finds a page at once when matches are common,
//! but reads most of the table when they are rare or cluster elsewhere in name order
//! (every "Wayne …" sits under W). Finding every match through the trigram index and
//! sorting them costs in proportion to their number. So a search first looks at the next
//! [`NEARBY_ROWS`] customers in name order, and only when they hold less than a page
//! collects the matches through an index. Both statements are sent as one-off
//! statements, so PostgreSQL plans each with its own pattern (see `orderpath_db::search`).
//!
//! Which index collects them depends on the text. One with three letters or digits in a
//! row is looked up in the trigram index (`customers_search_idx`). A shorter one (`a`,
//! `42`, `ł`), or one without such a run (`s.a`), cannot use it: PostgreSQL would read
//! the whole trigram index or the whole table, tens of milliseconds at 100,000 customers.
//! Those are looked up in the index of every character and pair of neighbouring
//! characters (`customers_short_search_idx`, see the migration
//! `customer_short_search`): a text of one or two characters is in a customer's search
//! text exactly when it is one of these, a longer one only if all its pairs are.

use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Uuid as SqlUuid};
use orderpath_core::cursor;
use orderpath_core::page::{fetch_limit, Page};
use orderpath_core::Result;
use orderpath_db::search::contains_pattern;
use uuid::Uuid;

use crate::customer::Customer;

/// How many customers after the cursor a search reads in name order before it collects
/// the matches through the trigram index instead: about a millisecond, which serves
/// every text that one customer in 40 or so contains.
const NEARBY_ROWS: i64 = 2000;

/// A customer with the key it is listed by (`customers.name_key`, its name lower-cased).
#[derive(QueryableByName)]
struct Listed {
    #[diesel(embed)]
    customer: Customer,
    #[diesel(sql_type = Text)]
    name_key: String,
}

/// The key the next page starts after.
struct After {
    name_key: String,
    id: Uuid,
}

/// What a search looks for: the `LIKE` pattern, and the text it was made of.
struct Search<'a> {
    pattern: String,
    text: &'a str,
}

/// How a page is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Every customer, in name order.
    All,
    /// The matches among the next [`NEARBY_ROWS`] customers in name order.
    Nearby,
    /// Every match, collected through the trigram index, then sorted.
    Matches,
    /// Every match, collected through the index of characters and pairs, then sorted.
    Pairs,
}

const COLUMNS: &str =
    "id, name, external_id, currency, email, last_activity_at, created_at, updated_at, name_key";
const ORDER: &str = "ORDER BY name_key, id";

/// Customers ordered by name (ignoring case, then by id), `limit` at a time after the
/// cursor `after`; with `search`, only those whose name, external id or email contains
/// it in any letter case.
pub fn list_customers(
    conn: &mut PgConnection,
    search: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<Page<Customer>> {
    let after = after.map(decode).transpose()?;
    let after = after.as_ref();
    let search = contains_pattern(search)
        .zip(search)
        .map(|(pattern, text)| Search {
            pattern,
            text: text.trim(),
        });
    let rows = match &search {
        None => read(conn, Reading::All, None, after, limit)?,
        Some(search) => {
            let nearby = read(conn, Reading::Nearby, Some(search), after, limit)?;
            if nearby.len() as i64 > limit {
                nearby
            } else if has_trigram(&search.pattern) {
                read(conn, Reading::Matches, Some(search), after, limit)?
            } else {
                read(conn, Reading::Pairs, Some(search), after, limit)?
            }
        }
    };
    Ok(Page::keyset(rows, limit, |r| {
        cursor::encode(&[&r.name_key, &r.customer.id.to_string()])
    })
    .map_items(|r| r.customer))
}

fn decode(after: &str) -> Result<After> {
    let parts = cursor::decode(after, 2)?;
    Ok(After {
        name_key: parts[0].clone(),
        id: cursor::parse_part(&parts[1])?,
    })
}

/// Reads up to one row more than `limit` (see [`fetch_limit`]) the way `reading` says.
fn read(
    conn: &mut PgConnection,
    reading: Reading,
    search: Option<&Search>,
    after: Option<&After>,
    limit: i64,
) -> Result<Vec<Listed>> {
    let mut query =
        diesel::sql_query(statement(reading, search.is_some(), after.is_some())).into_boxed::<Pg>();
    if let Some(search) = search {
        query = query.bind::<Text, _>(search.pattern.clone());
        if reading == Reading::Pairs {
            query = query.bind::<Text, _>(search.text.to_string());
        }
    }
    if let Some(after) = after {
        query = query
            .bind::<Text, _>(after.name_key.clone())
            .bind::<SqlUuid, _>(after.id);
    }
    let query = query.bind::<BigInt, _>(fetch_limit(limit));
    if !matches!(reading, Reading::Matches | Reading::Pairs) {
        return Ok(query.load(conn)?);
    }
    // PostgreSQL prices a LIKE test on a row far below what it costs on text this long,
    // and would rather test every customer than read an index once a text matches a
    // tenth of them: three times slower, and many times slower still where the test is
    // the index's expression (the pairs of every customer, computed again). Told not to,
    // it reads the index. Parallel workers only add their start-up to a read this short.
    Ok(conn.transaction(|conn| {
        diesel::sql_query("SET LOCAL enable_seqscan = off").execute(conn)?;
        diesel::sql_query("SET LOCAL max_parallel_workers_per_gather = 0").execute(conn)?;
        query.load(conn)
    })?)
}

/// The SQL of `reading`. Its parameters, in the order [`read`] binds them: the search
/// pattern when `searching` (then the searched text when reading [`Reading::Pairs`]), the
/// cursor's two parts when `after`, the number of rows.
fn statement(reading: Reading, searching: bool, after: bool) -> String {
    let mut count = 0;
    let mut parameter = || {
        count += 1;
        format!("${count}")
    };
    let matching = match (searching, reading) {
        // The pairs of the searched text (its own parameter) narrow, the pattern decides.
        // The LIKE test is written so that no index can serve it: PostgreSQL would
        // otherwise combine the pairs with the trigram index, which cannot narrow this
        // pattern and would have to be read whole.
        (true, Reading::Pairs) => {
            let (pattern, text) = (parameter(), parameter());
            format!(
                "orderpath_text_grams(search_text) @> orderpath_pattern_grams(lower({text})) \
                 AND (search_text || '') LIKE lower({pattern})"
            )
        }
        (true, _) => format!("search_text LIKE lower({})", parameter()),
        (false, _) => "TRUE".to_string(),
    };
    let after_key = match after {
        true => format!("(name_key, id) > ({}, {})", parameter(), parameter()),
        false => "TRUE".to_string(),
    };
    let rows = parameter();
    match reading {
        Reading::All => {
            format!("SELECT {COLUMNS} FROM customers WHERE {after_key} {ORDER} LIMIT {rows}")
        }
        // The name index holds the search text: the nearby customers are read from it
        // alone, and only the page's rows from the table.
        Reading::Nearby => format!(
            "SELECT {COLUMNS} FROM customers JOIN (SELECT id FROM (\
             SELECT name_key, id, search_text FROM customers \
             WHERE {after_key} {ORDER} LIMIT {NEARBY_ROWS}) AS nearby \
             WHERE {matching} {ORDER} LIMIT {rows}) AS found USING (id) {ORDER}"
        ),
        // OFFSET 0 keeps the subquery from being merged into the outer query, whose plan
        // would walk the name index instead.
        Reading::Matches | Reading::Pairs => format!(
            "SELECT {COLUMNS} FROM (SELECT {COLUMNS} FROM customers \
             WHERE {matching} AND {after_key} OFFSET 0) AS matches {ORDER} LIMIT {rows}"
        ),
    }
}

/// Whether the trigram index can narrow a search for `pattern`: it holds three letters
/// or digits in a row. Shorter texts match too much for an index to help.
fn has_trigram(pattern: &str) -> bool {
    pattern
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| word.chars().count() >= 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_numbered_in_the_order_they_are_bound() {
        let sql = statement(Reading::Matches, true, true);
        assert!(sql.contains("search_text LIKE lower($1)"), "{sql}");
        assert!(sql.contains("(name_key, id) > ($2, $3)"), "{sql}");
        assert!(sql.ends_with("LIMIT $4"), "{sql}");
        let sql = statement(Reading::All, false, true);
        assert!(sql.contains("(name_key, id) > ($1, $2)") && sql.ends_with("LIMIT $3"));
        let sql = statement(Reading::Nearby, true, false);
        assert!(
            sql.contains("LIKE lower($1)") && sql.contains("LIMIT $2)"),
            "{sql}"
        );
        let sql = statement(Reading::Pairs, true, true);
        assert!(
            sql.contains("@> orderpath_pattern_grams(lower($2))"),
            "{sql}"
        );
        assert!(sql.contains("LIKE lower($1)"), "{sql}");
        assert!(sql.contains("(name_key, id) > ($3, $4)") && sql.ends_with("LIMIT $5"));
    }

    #[test]
    fn only_three_letters_or_digits_in_a_row_narrow_a_search() {
        assert!(has_trigram("%acme%"));
        assert!(has_trigram("%a-b-erp%"));
        assert!(!has_trigram("%ab%"));
        assert!(!has_trigram("%a b c%"));
    }
}
