-- The dispatcher counts pending deliveries per endpoint for the metrics every few seconds
-- (docs/webhooks.md): an index of just those rows keeps the count small.
CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (webhook_id) WHERE status = 'PENDING';
