//! Substring search in any letter case, as lists with `?search=` do it: `ILIKE '%…%'`
//! with the searched text taken literally. The trigram (`pg_trgm`) indexes the migrations
//! create over the searched columns serve these patterns, so a search stays fast in a
//! large table.

diesel::define_sql_function! {
    /// PostgreSQL's `lower(text)`: the case-insensitive sort key of names.
    fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

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
