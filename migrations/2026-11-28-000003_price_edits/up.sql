-- The audit of line price edits on carts and offers. Lines may be deleted later; their
-- history stays, so line_id carries no foreign key.
CREATE TABLE price_edits (
    seq           BIGSERIAL PRIMARY KEY,
    document_type TEXT NOT NULL CHECK (document_type IN ('CART', 'OFFER')),
    document_id   UUID NOT NULL,
    line_id       UUID NOT NULL,
    field         TEXT NOT NULL CHECK (field IN ('UNIT_PRICE', 'PURCHASE_PRICE')),
    old_value     NUMERIC(18, 4) NOT NULL,
    new_value     NUMERIC(18, 4) NOT NULL,
    reason        TEXT,
    actor         TEXT NOT NULL,
    at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX price_edits_document_idx ON price_edits (document_type, document_id, seq);
