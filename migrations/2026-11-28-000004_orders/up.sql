-- Orders placed from carts, their shipments, and stock reservation.

-- Held by READY shipments; free stock is stock - reserved.
ALTER TABLE products ADD COLUMN reserved NUMERIC(18, 3) NOT NULL DEFAULT 0 CHECK (reserved >= 0);

CREATE SEQUENCE order_number_seq;

CREATE TABLE orders (
    id          UUID PRIMARY KEY,
    number      TEXT NOT NULL UNIQUE,
    -- Order age: waiting lines keep their place in line by it.
    seq         BIGSERIAL NOT NULL UNIQUE,
    cart_id     UUID NOT NULL UNIQUE REFERENCES carts (id),
    customer_id UUID NOT NULL REFERENCES customers (id),
    currency    TEXT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX orders_customer_idx ON orders (customer_id, seq);

-- Order lines keep their own copy of the cart line, as offer lines do.
CREATE TABLE order_lines (
    id                        UUID PRIMARY KEY,
    order_id                  UUID NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id                UUID NOT NULL REFERENCES products (id),
    parent_line_id            UUID REFERENCES order_lines (id) ON DELETE CASCADE,
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
CREATE INDEX order_lines_order_idx ON order_lines (order_id, position);

CREATE TABLE shipments (
    id         UUID PRIMARY KEY,
    order_id   UUID NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    status     TEXT NOT NULL CHECK (status IN ('READY', 'WAITING_FOR_STOCK', 'SHIPPED')),
    position   INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX shipments_order_idx ON shipments (order_id, position);
CREATE INDEX shipments_waiting_idx ON shipments (status) WHERE status = 'WAITING_FOR_STOCK';

CREATE TABLE shipment_lines (
    shipment_id   UUID NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    order_line_id UUID NOT NULL REFERENCES order_lines (id) ON DELETE CASCADE,
    quantity      NUMERIC(18, 3) NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (shipment_id, order_line_id)
);
