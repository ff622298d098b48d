ALTER TABLE webhooks
    DROP CONSTRAINT webhooks_previous_secret_expires_check,
    DROP COLUMN previous_signing_secret_expires_at,
    DROP COLUMN previous_signing_secret;
