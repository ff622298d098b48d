DROP INDEX webhook_deliveries_event_idx;
DROP INDEX domain_events_age_idx;
