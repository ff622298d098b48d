//! Substring search in any letter case, as lists with `?search=` do it: a `%…%` pattern
//! (for `ILIKE`, or `LIKE` on lower-cased text) with the searched text taken literally.
//! The trigram (`pg_trgm`) indexes the migrations create over the searched columns serve
//! these patterns, so a search stays fast in a large table.
//!
//! How fast depends on PostgreSQL planning each search with its pattern: a rare text is
//! found through the trigram indexes, a common one by reading the list in its order until
//! a page is full. A prepared statement reused across searches gets a generic plan after a
//! few runs, which cannot know how many rows a pattern matches and reads the whole table
//! for a rare one; [`planned_per_search`] keeps a search's statement from being reused.

use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::QueryResult;

/// The `ILIKE` pattern of text that contains `search` anywhere, its `%`, `_` and `\` taken
/// literally; `None` for no search or a blank one, which filters nothing.
pub fn contains_pattern(search: Option<&str>) -> Option<String> {
    let search = search.map(str::trim).filter(|s| !s.is_empty())?;
    let mut pattern = String::with_capacity(search.len() + 2);
    pattern.push('%');
    for c in search.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    Some(pattern)
}

/// `condition` (a search filter), marking its query as one diesel must not keep as a
/// prepared statement: PostgreSQL then plans every run with the pattern it is given.
pub fn planned_per_search<C>(condition: C) -> PlannedPerSearch<C> {
    PlannedPerSearch(condition)
}

/// See [`planned_per_search`].
#[derive(Debug, Clone, Copy, QueryId, ValidGrouping)]
pub struct PlannedPerSearch<C>(C);

impl<C: Expression> Expression for PlannedPerSearch<C> {
    type SqlType = C::SqlType;
}

impl<C: QueryFragment<Pg>> QueryFragment<Pg> for PlannedPerSearch<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.unsafe_to_cache_prepared();
        self.0.walk_ast(out)
    }
}

impl<C: AppearsOnTable<QS>, QS> AppearsOnTable<QS> for PlannedPerSearch<C> {}

impl<C: SelectableExpression<QS>, QS> SelectableExpression<QS> for PlannedPerSearch<C> {}

#[cfg(test)]
mod tests {
    use super::contains_pattern;

    #[test]
    fn a_search_matches_anywhere_and_its_wildcards_are_literal() {
        assert_eq!(contains_pattern(Some(" acme ")).as_deref(), Some("%acme%"));
        assert_eq!(
            contains_pattern(Some(r"50%_a\b")).as_deref(),
            Some(r"%50\%\_a\\b%")
        );
        assert_eq!(contains_pattern(Some("   ")), None);
        assert_eq!(contains_pattern(None), None);
    }
}
