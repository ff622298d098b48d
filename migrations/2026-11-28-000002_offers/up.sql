-- Offers (quotes) made from carts, their lines, and which offer each backoffice user
-- opened last (the OFFER_OPENED rule).

CREATE SEQUENCE offer_number_seq;
-- Orders the offer change feed within one transaction; see orderpath_current_txid().
CREATE SEQUENCE offer_change_seq;

CREATE TABLE offers (
    id          UUID PRIMARY KEY,
    number      TEXT NOT NULL UNIQUE,
    cart_id     UUID NOT NULL REFERENCES carts (id),
    customer_id UUID NOT NULL REFERENCES customers (id),
    status      TEXT NOT NULL CHECK (status IN ('DRAFT', 'SENT', 'ACCEPTED', 'REJECTED', 'EXPIRED')),
    currency    TEXT NOT NULL,
    valid_until TIMESTAMPTZ,
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Position in the ERP change feed, moved forward by every change of the offer.
    change_txid BIGINT NOT NULL DEFAULT orderpath_current_txid(),
    change_seq  BIGINT NOT NULL DEFAULT nextval('offer_change_seq')
);
CREATE INDEX offers_feed_idx ON offers (change_txid, change_seq);
CREATE INDEX offers_customer_feed_idx ON offers (customer_id, change_txid, change_seq);
CREATE INDEX offers_expiry_idx ON offers (valid_until) WHERE status IN ('DRAFT', 'SENT');

-- Offer lines keep their own copy of the product's name and prices: a quote does not
-- change when the catalog does.
CREATE TABLE offer_lines (
    id                        UUID PRIMARY KEY,
    offer_id                  UUID NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    product_id                UUID NOT NULL REFERENCES products (id),
    parent_line_id            UUID REFERENCES offer_lines (id) ON DELETE CASCADE,
    sku                       TEXT NOT NULL,
    name                      TEXT NOT NULL,
    unit                      TEXT NOT NULL,
    quantity_type             TEXT NOT NULL CHECK (quantity_type IN ('UNIT', 'CONTENT_QUANTITY')),
    quantity                  NUMERIC(18, 3) NOT NULL CHECK (quantity > 0),
    allow_quantity_change     BOOLEAN NOT NULL,
    allow_quantity_splitting  BOOLEAN NOT NULL,
    removable                 BOOLEAN NOT NULL,
    unit_price                NUMERIC(18, 4) NOT NULL,
    catalog_unit_price        NUMERIC(18, 4) NOT NULL,
    unit_price_overridden     BOOLEAN NOT NULL,
    purchase_price            NUMERIC(18, 4) NOT NULL,
    catalog_purchase_price    NUMERIC(18, 4) NOT NULL,
    purchase_price_overridden BOOLEAN NOT NULL,
    vat_rate                  NUMERIC(7, 3) NOT NULL,
    position                  INTEGER NOT NULL
);
CREATE INDEX offer_lines_offer_idx ON offer_lines (offer_id, position);

CREATE TABLE offer_views (
    user_id   UUID PRIMARY KEY REFERENCES api_tokens (id) ON DELETE CASCADE,
    offer_id  UUID NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    opened_at TIMESTAMPTZ NOT NULL
);
