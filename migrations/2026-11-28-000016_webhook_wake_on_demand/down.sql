CREATE OR REPLACE FUNCTION orderpath_fan_out_event() RETURNS trigger LANGUAGE plpgsql AS $$
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
