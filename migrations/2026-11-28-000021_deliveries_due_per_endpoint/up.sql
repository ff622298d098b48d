-- Due deliveries per endpoint, oldest first (docs/webhooks.md, Delivery): a claim takes
-- each endpoint's oldest due deliveries and interleaves the endpoints, so a backlog of
-- one endpoint (a receiver down for days) never holds up another's new deliveries; and
-- the next due time is each endpoint's first entry rather than a read of every pending
-- delivery. It replaces the index of all pending deliveries by due time.
CREATE INDEX webhook_deliveries_due_per_endpoint_idx
    ON webhook_deliveries (webhook_id, next_attempt_at) WHERE status = 'PENDING';
DROP INDEX webhook_deliveries_due_idx;
