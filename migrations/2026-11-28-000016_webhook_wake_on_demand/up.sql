-- The fan-out notifies only while no dispatcher is awake (docs/webhooks.md, Delivery):
-- PostgreSQL commits notifying transactions one at a time, holding a lock across the
-- commit's flush to disk, so a NOTIFY in every event's transaction bounded how fast events
-- could be recorded. The two advisory locks are the dispatcher's
-- (crates/webhooks/src/dispatcher/awake.rs says how they fit together):
-- 8030049426081145711 (RECORDING) is held shared by every transaction that creates deliveries, until it
-- ends; 8030049425797112171 (AWAKE) is held by a dispatcher while it is awake.
CREATE OR REPLACE FUNCTION orderpath_fan_out_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO webhook_deliveries (webhook_id, event_id, next_attempt_at)
    SELECT w.id, NEW.id, now() FROM webhooks w
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
