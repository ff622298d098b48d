ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_seq_key UNIQUE (seq);
DROP INDEX webhook_deliveries_log_idx;
CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (webhook_id, seq);
