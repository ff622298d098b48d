-- An endpoint's delivery log filtered by status (`GET /webhooks/{id}/deliveries?status=`),
-- newest first, read from the rows of that status alone: through the log index every
-- delivery of the endpoint was read and the other statuses dropped, millions for a rare
-- status (docs/benchmarks.md, Scale).
CREATE INDEX webhook_deliveries_log_status_idx ON webhook_deliveries (webhook_id, status, seq);
