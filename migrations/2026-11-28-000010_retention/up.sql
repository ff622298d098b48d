-- Retention (docs/operations.md): old events are found by age, and each event's
-- deliveries by event, without scanning either table.
CREATE INDEX domain_events_age_idx ON domain_events (occurred_at);
CREATE INDEX webhook_deliveries_event_idx ON webhook_deliveries (event_id);
