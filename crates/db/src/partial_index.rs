//! Conditions a kept plan can match to a partial index.
//!
//! A partial index serves a statement only when the planner can prove the statement's
//! condition implies the index's predicate (`WHERE status <> 'SUCCEEDED'`). With the
//! value bound (`status = $2`) the plan PostgreSQL keeps for a prepared statement is made
//! for any value, proves nothing, and reads the table another way: a delivery log's
//! status page walked the endpoint's whole log (docs/benchmarks.md, Scale, The delivery
//! log's two slow pages). Written into the statement instead, the value is part of every
//! plan; each value makes a statement of its own, so this is for the few names of a
//! stored enum, never for what a request sends.

use std::fmt::Display;

use diesel::dsl::sql;
use diesel::expression::SqlLiteral;
use diesel::sql_types::Bool;

/// `column IN ('a', 'b', …)` with `values` written into the statement (see the module).
pub fn one_of<V: Display>(column: &str, values: &[V]) -> SqlLiteral<Bool> {
    let listed: Vec<String> = values
        .iter()
        .map(|v| format!("'{}'", v.to_string().replace('\'', "''")))
        .collect();
    sql::<Bool>(&format!("{column} IN ({})", listed.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::one_of;
    use diesel::debug_query;
    use diesel::pg::Pg;

    #[test]
    fn values_are_written_quoted_into_the_condition() {
        let condition = one_of("offers.status", &["DRAFT", "it's"]);
        assert_eq!(
            debug_query::<Pg, _>(&condition).to_string(),
            "offers.status IN ('DRAFT', 'it''s') -- binds: []"
        );
    }
}
