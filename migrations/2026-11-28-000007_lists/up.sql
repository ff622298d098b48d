-- Lists that frontends need (customers by name with substring search, a customer's carts
-- and offers newest first, product search), and orders placed from accepted offers.

-- Trigram indexes serve `LIKE`/`ILIKE '%…%'` substring search.
-- pg_trgm ships with PostgreSQL (the contrib package) and is a trusted extension.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Customers are listed by name ignoring case; the id breaks ties for the keyset cursor.
-- Both keys are computed once on write, so sorting many search matches costs no
-- function calls.
ALTER TABLE customers ADD COLUMN name_key TEXT NOT NULL GENERATED ALWAYS AS (lower(name)) STORED;
CREATE INDEX customers_name_idx ON customers (name_key, id);
-- What a customer search looks in: name, external id and email, lower-cased (a plain
-- LIKE on it is several times cheaper than ILIKE on three columns) and joined by a
-- separator no one types, so that no match spans two fields.
ALTER TABLE customers ADD COLUMN search_text TEXT NOT NULL GENERATED ALWAYS AS (
    lower(name || E'\x1f' || coalesce(external_id, '') || E'\x1f' || coalesce(email, ''))
) STORED;
CREATE INDEX customers_search_idx ON customers USING gin (search_text gin_trgm_ops);

CREATE INDEX products_sku_trgm_idx ON products USING gin (sku gin_trgm_ops);
CREATE INDEX products_name_trgm_idx ON products USING gin (name gin_trgm_ops);

-- A customer's carts and offers, newest first. The carts index also serves every lookup
-- by customer the old one did.
CREATE INDEX carts_customer_newest_idx ON carts (customer_id, created_at DESC, id DESC);
DROP INDEX carts_customer_idx;
CREATE INDEX offers_customer_newest_idx ON offers (customer_id, created_at DESC, id DESC);

-- An offer an order was placed from no longer changes.
ALTER TABLE offers DROP CONSTRAINT offers_status_check;
ALTER TABLE offers ADD CONSTRAINT offers_status_check
    CHECK (status IN ('DRAFT', 'SENT', 'ACCEPTED', 'REJECTED', 'EXPIRED', 'ORDERED'));

-- An order is placed from a cart or from an offer, never both; an offer is ordered once.
ALTER TABLE orders ALTER COLUMN cart_id DROP NOT NULL;
ALTER TABLE orders ADD COLUMN offer_id UUID UNIQUE REFERENCES offers (id);
ALTER TABLE orders ADD CONSTRAINT orders_placed_from_one_check
    CHECK (num_nonnulls(cart_id, offer_id) = 1);
