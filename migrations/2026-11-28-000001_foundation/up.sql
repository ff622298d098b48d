-- Foundation: catalog, customers, carts, tokens and the event outbox.
-- Money and quantities are NUMERIC: exact decimals, never floats.

-- The position of a write in commit order, as used by the change feeds.
-- xid8 is 64-bit and epoch-extended, so it never wraps and fits in a BIGINT.
CREATE FUNCTION orderpath_current_txid() RETURNS BIGINT
    LANGUAGE sql VOLATILE AS $$ SELECT pg_current_xact_id()::text::bigint $$;

-- Every transaction with an id below this one has finished (committed or rolled back):
-- a change feed may show rows up to here without ever skipping one that commits late.
CREATE FUNCTION orderpath_visible_txid_horizon() RETURNS BIGINT
    LANGUAGE sql VOLATILE AS $$ SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint $$;

CREATE TABLE customers (
    id               UUID PRIMARY KEY,
    name             TEXT NOT NULL,
    external_id      TEXT,
    currency         TEXT NOT NULL,
    email            TEXT,
    last_activity_at TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE products (
    id             UUID PRIMARY KEY,
    sku            TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('STANDARD', 'CABLE', 'DRUM')),
    unit           TEXT NOT NULL,
    quantity_type  TEXT NOT NULL CHECK (quantity_type IN ('UNIT', 'CONTENT_QUANTITY')),
    net_price      NUMERIC(18, 4) NOT NULL CHECK (net_price >= 0),
    purchase_price NUMERIC(18, 4) NOT NULL CHECK (purchase_price >= 0),
    vat_rate       NUMERIC(7, 3) NOT NULL CHECK (vat_rate >= 0),
    currency       TEXT NOT NULL,
    stock          NUMERIC(18, 3) NOT NULL CHECK (stock >= 0),
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE drum_options (
    cable_product_id UUID NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    drum_product_id  UUID NOT NULL REFERENCES products (id),
    max_length       NUMERIC(18, 3) NOT NULL CHECK (max_length > 0),
    PRIMARY KEY (cable_product_id, drum_product_id)
);

CREATE TABLE api_tokens (
    id          UUID PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('integration', 'backoffice', 'customer')),
    customer_id UUID REFERENCES customers (id),
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((role = 'customer') = (customer_id IS NOT NULL))
);

CREATE TABLE carts (
    id          UUID PRIMARY KEY,
    customer_id UUID NOT NULL REFERENCES customers (id),
    status      TEXT NOT NULL CHECK (status IN ('OPEN', 'ORDERED')),
    currency    TEXT NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('BACKOFFICE', 'OFE')),
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX carts_customer_idx ON carts (customer_id);

CREATE TABLE cart_lines (
    id                       UUID PRIMARY KEY,
    cart_id                  UUID NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    product_id               UUID NOT NULL REFERENCES products (id),
    parent_line_id           UUID REFERENCES cart_lines (id) ON DELETE CASCADE,
    quantity_type            TEXT NOT NULL CHECK (quantity_type IN ('UNIT', 'CONTENT_QUANTITY')),
    quantity                 NUMERIC(18, 3) NOT NULL CHECK (quantity > 0),
    allow_quantity_change    BOOLEAN NOT NULL,
    allow_quantity_splitting BOOLEAN NOT NULL,
    removable                BOOLEAN NOT NULL,
    -- NULL: the catalog price applies. A value: a merchant's override for this line only.
    unit_price_override      NUMERIC(18, 4),
    purchase_price_override  NUMERIC(18, 4),
    position                 INTEGER NOT NULL,
    created_at               TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX cart_lines_cart_idx ON cart_lines (cart_id, position);
CREATE INDEX cart_lines_parent_idx ON cart_lines (parent_line_id);

-- The outbox: every domain event, written in the transaction of the change that caused it.
CREATE TABLE domain_events (
    id          UUID PRIMARY KEY,
    event_type  TEXT NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    data        JSONB NOT NULL,
    txid        BIGINT NOT NULL DEFAULT orderpath_current_txid(),
    seq         BIGSERIAL NOT NULL UNIQUE
);
CREATE INDEX domain_events_feed_idx ON domain_events (txid, seq);
CREATE INDEX domain_events_type_feed_idx ON domain_events (event_type, txid, seq);
