-- A delivery's number is unique within its endpoint's log, the only place it is read
-- (docs/benchmarks.md, Scale, The delivery log's first page): the log's index holds the
-- uniqueness instead of an index of its own on `seq`. That index misled the planner: for
-- an endpoint's first page (`WHERE webhook_id = … ORDER BY seq DESC LIMIT …`) it read
-- the whole table's newest deliveries and filtered them, expecting the endpoint's to be
-- spread evenly among them (626,727 rows thrown away, 38 ms, for an endpoint whose
-- deliveries were not the newest). One index fewer also means one entry fewer to write
-- per delivery.
CREATE UNIQUE INDEX webhook_deliveries_log_key ON webhook_deliveries (webhook_id, seq);
DROP INDEX webhook_deliveries_log_idx;
ALTER INDEX webhook_deliveries_log_key RENAME TO webhook_deliveries_log_idx;
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_seq_key;
