-- An endpoint whose every attempt failed for 5 days is set INACTIVE (docs/webhooks.md).
-- failing_since: the first failed attempt after the last successful one (last_succeeded_at),
-- NULL when there is none; disabled_at and disabled_reason: when and why it was set
-- INACTIVE automatically.

ALTER TABLE webhooks
    ADD COLUMN failing_since     TIMESTAMPTZ,
    ADD COLUMN last_succeeded_at TIMESTAMPTZ,
    ADD COLUMN disabled_at       TIMESTAMPTZ,
    ADD COLUMN disabled_reason   TEXT;
