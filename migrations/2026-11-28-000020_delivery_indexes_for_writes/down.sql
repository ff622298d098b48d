CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (webhook_id) WHERE status = 'PENDING';
DROP INDEX webhook_deliveries_log_status_idx;
CREATE INDEX webhook_deliveries_log_status_idx ON webhook_deliveries (webhook_id, status, seq);
