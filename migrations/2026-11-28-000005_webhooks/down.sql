DROP TRIGGER domain_events_fan_out ON domain_events;
DROP FUNCTION orderpath_fan_out_event();
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
