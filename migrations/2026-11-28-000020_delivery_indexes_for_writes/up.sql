-- Fewer index entries per delivery (docs/benchmarks.md, Webhooks end to end): every
-- delivery is inserted PENDING and updated once to SUCCEEDED, and the update writes an
-- entry into every index that holds the row afterwards.
--
-- * The status-filtered delivery log (000018) keeps only rows not SUCCEEDED: those are
--   the rare ones a filter must find among millions; a filter on SUCCEEDED reads the
--   endpoint's log index, where nearly every row is one.
-- * The pending count per endpoint (000013) reads that same index, so its own goes.
DROP INDEX webhook_deliveries_log_status_idx;
CREATE INDEX webhook_deliveries_log_status_idx ON webhook_deliveries (webhook_id, status, seq)
    WHERE status <> 'SUCCEEDED';
DROP INDEX webhook_deliveries_pending_idx;
