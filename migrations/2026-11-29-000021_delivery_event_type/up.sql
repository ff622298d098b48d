-- Each delivery keeps its event's type (docs/benchmarks.md, Scale): the delivery log shows
-- it, and reading it from the event cost a page of the log one random read of
-- `domain_events`, the largest table, per delivery (two thirds of a cold page's time at a
-- tenth of the merchant's volume). An event's type never changes; an endpoint's may, so
-- the type is the event's, copied when the delivery is made.
ALTER TABLE webhook_deliveries ADD COLUMN event_type TEXT;
UPDATE webhook_deliveries d SET event_type = e.event_type
  FROM domain_events e WHERE e.id = d.event_id;
ALTER TABLE webhook_deliveries ALTER COLUMN event_type SET NOT NULL;

-- As in 000016 (docs/webhooks.md, Delivery), the event's type now copied.
CREATE OR REPLACE FUNCTION orderpath_fan_out_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, next_attempt_at)
    SELECT w.id, NEW.id, NEW.event_type, now() FROM webhooks w
    WHERE w.status = 'ACTIVE' AND w.event_type = NEW.event_type;
    IF FOUND THEN
        -- Before looking at AWAKE: a dispatcher going to sleep looks again until every
        -- transaction holding this has ended.
        PERFORM pg_advisory_xact_lock_shared(8030049426081145711);
        -- Taken and let go at once: free means no dispatcher is awake to find these.
        IF pg_try_advisory_lock_shared(8030049425797112171) THEN
            PERFORM pg_advisory_unlock_shared(8030049425797112171);
            -- Delivered at commit; wakes idle dispatchers at once instead of at their next poll.
            PERFORM pg_notify('orderpath_webhook_deliveries', '');
        END IF;
    END IF;
    RETURN NULL;
END $$;
