-- Webhook endpoints, one delivery per (event, endpoint), one row per delivery attempt.

CREATE TABLE webhooks (
    id             UUID PRIMARY KEY,
    name           TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('ACTIVE', 'INACTIVE')),
    event_type     TEXT NOT NULL,
    url            TEXT NOT NULL,
    auth_type      TEXT NOT NULL CHECK (auth_type IN ('NONE', 'HTTP_BASIC')),
    -- Sent to the receiver, so kept as given (not hashed); never returned by the API.
    username       TEXT,
    password       TEXT,
    signing_secret TEXT,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhooks_event_idx ON webhooks (event_type) WHERE status = 'ACTIVE';

CREATE TABLE webhook_deliveries (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    seq             BIGSERIAL NOT NULL UNIQUE,
    webhook_id      UUID NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id        UUID NOT NULL REFERENCES domain_events (id),
    status          TEXT NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Set while a worker holds the delivery; a lease that ran out is claimed again.
    lease_until     TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (webhook_id, seq);

CREATE TABLE webhook_attempts (
    id            BIGSERIAL PRIMARY KEY,
    delivery_id   UUID NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempted_at  TIMESTAMPTZ NOT NULL,
    succeeded     BOOLEAN NOT NULL,
    status_code   INTEGER,
    duration_ms   INTEGER NOT NULL,
    response_body TEXT,
    error         TEXT,
    -- Which server process made the attempt (host:pid).
    worker        TEXT NOT NULL
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id);

-- Fan-out in the transaction of the event itself: an event that commits has its
-- deliveries, durably, whether or not any dispatcher runs at that moment.
CREATE FUNCTION orderpath_fan_out_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO webhook_deliveries (webhook_id, event_id, next_attempt_at)
    SELECT w.id, NEW.id, now() FROM webhooks w
    WHERE w.status = 'ACTIVE' AND w.event_type = NEW.event_type;
    IF FOUND THEN
        -- Delivered at commit; wakes idle dispatchers at once instead of at their next poll.
        PERFORM pg_notify('orderpath_webhook_deliveries', '');
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER domain_events_fan_out AFTER INSERT ON domain_events
    FOR EACH ROW EXECUTE FUNCTION orderpath_fan_out_event();
