-- What carts show of the catalog, as one number for the whole catalog: the sum of
-- `catalog_shown.version`, which rises in the same transaction as any product's
-- `shown_version` (migration 000017). A cart's rendering is current exactly while the
-- cart's version and this sum are (docs/benchmarks.md, Cart and order reads). Reading
-- 16 rows of one page costs the same for any cart, where summing its lines' products
-- read every line and product; the price is that a change to one product's shown
-- columns makes every cart render again once.
--
-- Sixteen rows rather than one, chosen by transaction, so that concurrent catalog edits
-- rarely wait on each other's row lock, and a transaction only ever locks one of them
-- (so two transactions cannot deadlock on them).
CREATE TABLE catalog_shown (
    shard SMALLINT PRIMARY KEY,
    version BIGINT NOT NULL DEFAULT 0
);
INSERT INTO catalog_shown (shard) SELECT generate_series(0, 15);

CREATE FUNCTION orderpath_catalog_shown_changed() RETURNS TRIGGER
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalog_shown SET version = version + 1
     WHERE shard = (pg_current_xact_id()::text::bigint % 16);
    RETURN NULL;
END
$$;

CREATE TRIGGER products_catalog_shown
    AFTER UPDATE ON products
    FOR EACH ROW
    WHEN (OLD.shown_version <> NEW.shown_version)
    EXECUTE FUNCTION orderpath_catalog_shown_changed();
