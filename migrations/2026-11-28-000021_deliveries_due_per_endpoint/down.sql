CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';
DROP INDEX webhook_deliveries_due_per_endpoint_idx;
