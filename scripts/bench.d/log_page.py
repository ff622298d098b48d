"""Where a delivery log page's first read spends its time (docs/benchmarks.md, Scale): the
statements the service sends for a page of one status, each under `EXPLAIN (ANALYZE,
BUFFERS)` with I/O timing, before anything else has read those rows. Run right after the
load, it says at each size how much of a page is reading pages that are not in
PostgreSQL's buffers, and which statement reads them."""

import json
import subprocess


def explain(db, sql):
    """Execution time, buffers found and read, and milliseconds spent reading, of `sql`."""
    out = subprocess.run(
        ["psql", db, "-XAtq", "-c", "SET track_io_timing = on",
         "-c", f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}"],
        check=True, capture_output=True, text=True).stdout
    [plan] = json.loads(out)
    top = plan["Plan"]
    return {"ms": round(plan["Execution Time"], 2),
            "buffersHit": top.get("Shared Hit Blocks", 0),
            "buffersRead": top.get("Shared Read Blocks", 0),
            "readMs": round(top.get("I/O Read Time", 0.0), 2)}


def first_read_costs(db, webhook_id, status="FAILED", limit=51):
    """The page of `webhook_id`'s deliveries in `status`, newest first, and the attempts of
    its deliveries, as `crates/webhooks/src/deliveries.rs` reads them."""
    page = ("SELECT d.id, d.seq, d.webhook_id, d.event_id, d.event_type, d.status, "
            "d.attempts, d.next_attempt_at, d.created_at, d.updated_at "
            f"FROM webhook_deliveries d WHERE d.webhook_id = '{webhook_id}' "
            f"AND d.status = '{status}' ORDER BY d.seq DESC LIMIT {limit}")
    costs = {"page": explain(db, page)}
    ids = subprocess.run(["psql", db, "-XAtq", "-c", f"SELECT id FROM ({page}) p"],
                         check=True, capture_output=True, text=True).stdout.split()
    array = "ARRAY[" + ",".join(f"'{i}'::uuid" for i in ids) + "]"
    costs["attempts"] = explain(
        db, f"SELECT * FROM webhook_attempts WHERE delivery_id = ANY({array}) ORDER BY id")
    costs["deliveries"] = len(ids)
    return costs
