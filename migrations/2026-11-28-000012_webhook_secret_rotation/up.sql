-- Secret rotation (docs/webhooks.md): the secret a rotation replaced keeps signing, next
-- to the new one, until it expires.

ALTER TABLE webhooks
    ADD COLUMN previous_signing_secret            TEXT,
    ADD COLUMN previous_signing_secret_expires_at TIMESTAMPTZ,
    ADD CONSTRAINT webhooks_previous_secret_expires_check
        CHECK ((previous_signing_secret IS NULL) = (previous_signing_secret_expires_at IS NULL));
