ALTER TABLE webhooks
    DROP COLUMN disabled_reason,
    DROP COLUMN disabled_at,
    DROP COLUMN last_succeeded_at,
    DROP COLUMN failing_since;
