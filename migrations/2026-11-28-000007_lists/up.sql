-- Lists that frontends need (customers by name with substring search, a customer's carts
-- and offers newest first, product search), and orders placed from accepted offers.

-- Trigram indexes serve `ILIKE '%…%'` substring search in any letter case.
-- pg_trgm ships with PostgreSQL (the contrib package) and is a trusted extension.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Customers are listed by name ignoring case; the id breaks ties for the keyset cursor.
CREATE INDEX customers_name_idx ON customers (lower(name), id);
CREATE INDEX customers_name_trgm_idx ON customers USING gin (name gin_trgm_ops);
CREATE INDEX customers_external_id_trgm_idx ON customers USING gin (external_id gin_trgm_ops);
CREATE INDEX customers_email_trgm_idx ON customers USING gin (email gin_trgm_ops);

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
