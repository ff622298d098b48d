DROP INDEX customers_name_idx;
CREATE INDEX customers_name_idx ON customers (name_key, id);
DROP INDEX customers_short_search_idx;
DROP FUNCTION orderpath_pattern_grams(TEXT);
DROP FUNCTION orderpath_text_grams(TEXT);
