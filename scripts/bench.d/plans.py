"""The query plans a running server really uses, captured with PostgreSQL's `auto_explain`
on the bench database alone, and checked for sequential scans of tables that grow with the
merchant, and for reads of such a table that throw away more than `FILTERED_LIMIT` rows
(an index read in the wrong order, filtered until a page is full) (docs/benchmarks.md,
Scale).

`auto_explain` writes to the server's log: the plan of every statement of a session on the
bench database, nested ones (the fan-out trigger) included, as JSON. The log is found
through `pg_current_logfile()` when PostgreSQL's logging collector runs, else through
Debian's `pg_lsclusters`, or named by `BENCH_PG_LOG`."""

import json
import os
import re
import subprocess

from harness import psql, psql_rows

# Tables whose size follows the merchant's: a sequential scan of one costs what it holds.
GROWING = {
    "products", "drum_options", "customers", "carts", "cart_lines", "offers", "offer_lines",
    "orders", "order_lines", "shipments", "shipment_lines", "domain_events",
    "webhook_deliveries", "webhook_attempts", "price_edits",
}

# More rows than this thrown away by one read of a growing table is a plan that reads what
# the merchant has, not what the request asks for (pages are at most 500 rows).
FILTERED_LIMIT = 10_000

SETTINGS = {
    "session_preload_libraries": "auto_explain",
    "auto_explain.log_min_duration": "0",
    # Rows counted (how many a filter threw away), not timed.
    "auto_explain.log_analyze": "on",
    "auto_explain.log_timing": "off",
    "auto_explain.log_format": "json",
    "auto_explain.log_nested_statements": "on",
}


def server_log(admin_url):
    if os.environ.get("BENCH_PG_LOG"):
        return os.environ["BENCH_PG_LOG"]
    [[collector, data, current]] = psql_rows(
        admin_url, "SELECT current_setting('logging_collector'), "
        "current_setting('data_directory'), coalesce(pg_current_logfile(), '')")
    if collector == "on" and current:
        return current if current.startswith("/") else os.path.join(data, current)
    port = re.search(r":(\d+)/", admin_url + "/")
    port = port.group(1) if port else "5432"
    try:
        clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True,
                                  check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        clusters = ""
    for line in clusters.splitlines():
        fields = line.split()
        if len(fields) >= 7 and fields[2] == port:
            return fields[6]
    raise SystemExit("FAIL  cannot find PostgreSQL's log to read the plans from; "
                     "name it with BENCH_PG_LOG")


class Capture:
    """While open, every statement run on `database` by a session started meanwhile has its
    plan logged; `plans()` reads back those of this capture."""

    def __init__(self, admin_url, database):
        self.admin_url, self.database = admin_url, database
        self.log = server_log(admin_url)

    def __enter__(self):
        self.offset = os.path.getsize(self.log)
        for name, value in SETTINGS.items():
            psql(self.admin_url, f"ALTER DATABASE {self.database} SET {name} = '{value}'")
        return self

    def __exit__(self, *exc):
        for name in SETTINGS:
            psql(self.admin_url, f"ALTER DATABASE {self.database} RESET {name}")

    def plans(self):
        """(query text, plan) of every statement logged on the database since the start."""
        with open(self.log, encoding="utf-8", errors="replace") as f:
            f.seek(self.offset)
            text = f.read()
        # An entry starts at the beginning of a line; its further lines start with a tab.
        entries = re.split(r"\n(?=\S)", text)
        marker = f"@{self.database} "
        found = []
        for entry in entries:
            head, _, rest = entry.partition("\n")
            if marker not in head or "plan:" not in head:
                continue
            body = "\n".join(line[1:] if line.startswith("\t") else line
                             for line in rest.splitlines())
            try:
                plan = json.loads(body)
            except json.JSONDecodeError:
                continue
            found.append((plan.get("Query Text", "").strip(), plan["Plan"]))
        return found


def nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def sequential_scans(plan):
    """The growing tables `plan` reads from end to end."""
    return sorted({n["Relation Name"] for n in nodes(plan)
                   if n["Node Type"] == "Seq Scan" and n.get("Relation Name") in GROWING})


def filtered_reads(plan):
    """The growing tables `plan` read more than `FILTERED_LIMIT` rows of only to throw them
    away (a filter's count is per loop)."""
    return sorted({n["Relation Name"] for n in nodes(plan)
                   if n.get("Relation Name") in GROWING
                   and n.get("Rows Removed by Filter", 0) * n.get("Actual Loops", 1)
                   > FILTERED_LIMIT})


def check(found):
    """One entry per distinct statement, with the growing tables any of its plans scans,
    and those any of its plans reads to throw away."""
    statements = {}
    for query, plan in found:
        entry = statements.setdefault(
            query, {"query": query, "runs": 0, "seqScans": set(), "filtered": set()})
        entry["runs"] += 1
        entry["seqScans"].update(sequential_scans(plan))
        entry["filtered"].update(filtered_reads(plan))
    return [{**e, "seqScans": sorted(e["seqScans"]), "filtered": sorted(e["filtered"])}
            for e in statements.values()]
