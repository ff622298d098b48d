-- Fails while orders placed from offers exist: they have no cart to fall back to, and
-- deleting orders (and their stock reservations) is not a migration's decision.
ALTER TABLE orders DROP CONSTRAINT orders_placed_from_one_check;
ALTER TABLE orders DROP COLUMN offer_id;
ALTER TABLE orders ALTER COLUMN cart_id SET NOT NULL;

-- An ordered offer was accepted before.
UPDATE offers SET status = 'ACCEPTED' WHERE status = 'ORDERED';
ALTER TABLE offers DROP CONSTRAINT offers_status_check;
ALTER TABLE offers ADD CONSTRAINT offers_status_check
    CHECK (status IN ('DRAFT', 'SENT', 'ACCEPTED', 'REJECTED', 'EXPIRED'));

DROP INDEX offers_customer_newest_idx;
CREATE INDEX carts_customer_idx ON carts (customer_id);
DROP INDEX carts_customer_newest_idx;

DROP INDEX products_name_trgm_idx;
DROP INDEX products_sku_trgm_idx;
DROP INDEX customers_search_idx;
ALTER TABLE customers DROP COLUMN search_text;
DROP INDEX customers_name_idx;
ALTER TABLE customers DROP COLUMN name_key;

DROP EXTENSION IF EXISTS pg_trgm;
