CREATE OR REPLACE FUNCTION orderpath_fan_out_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO webhook_deliveries (webhook_id, event_id, next_attempt_at)
    SELECT w.id, NEW.id, now() FROM webhooks w
    WHERE w.status = 'ACTIVE' AND w.event_type = NEW.event_type;
    IF FOUND THEN
        PERFORM pg_advisory_xact_lock_shared(8030049426081145711);
        IF pg_try_advisory_lock_shared(8030049425797112171) THEN
            PERFORM pg_advisory_unlock_shared(8030049425797112171);
            PERFORM pg_notify('orderpath_webhook_deliveries', '');
        END IF;
    END IF;
    RETURN NULL;
END $$;

ALTER TABLE webhook_deliveries DROP COLUMN event_type;
