"""Scale benchmark: the merchant of docs/benchmarks.md (Scale) written straight into the
bench database, at a tenth of its volumes by default and in full with `BENCH_SCALE=full`
(or `--full`); then, over HTTP, the p99 of what its users do, the query plans of those
requests checked for sequential scans of growing tables, and what deleting old events
(retention) costs the requests running meanwhile.

With `BENCH_SCALE=both` (or `--both`) both sizes are loaded, each into its own database
served by its own instance, and measured in turn, target by target, in one run: the p99
ratios then compare two sizes on one machine at one time, not two runs apart, which this
shared machine can make differ by 2x on their own (docs/benchmarks.md, Scale). Each size
writes bench-results/scale-<size>.json; with one size, once both files exist, every p99 of
the full size is compared with the tenth's from its run."""

import base64
import contextlib
import hashlib
import http.client
import http.server
import json
import os
import random
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from harness import BASE, Server, psql, psql_rows, wrk, write_result  # noqa: E402
from log_page import first_read_costs  # noqa: E402
from plans import FILTERED_LIMIT, Capture, check  # noqa: E402
from writes import lua  # noqa: E402


def sizes_to_run():
    """The sizes asked for: `both`, `full`, or by default the tenth."""
    asked = os.environ.get("BENCH_SCALE", "")
    if asked == "both" or "--both" in sys.argv[1:]:
        return ["tenth", "full"]
    return ["full"] if asked == "full" or "--full" in sys.argv[1:] else ["tenth"]


SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_SCALE_CONNECTIONS", "8"))
# Offers read for the first time in each run of that measure, as many at either size (the
# tenth has enough for the nine runs of the bench), so that the sizes are compared on runs
# of one length.
COLD_OFFERS = 10_000
# The longest the ERP may take to pull the whole feed before the bench gives up on it.
PULL_LIMIT_SECONDS = int(os.environ.get("BENCH_PULL_SECONDS", "900"))
RETENTION_DAYS = 90
SINK_PORT = 18093
DEAD_PORT = 9  # discard: nothing listens, every attempt is refused

# The merchant of docs/benchmarks.md, Scale; a tenth of it divides every count by 10.
FULL_SIZES = {
    "products": 50_000, "cables": 5_000, "customers": 100_000, "carts": 200_000,
    "waiting_orders": 10_000, "waiting_products": 1_000, "events": 10_000_000,
    "backlog": 1_000_000,
}
PORTS = {"tenth": 18083, "full": 18084}


def sizes_of(size):
    """The counts of `size`: every count of the merchant, or a tenth of each."""
    sizes = {k: v // (1 if size == "full" else 10) for k, v in FULL_SIZES.items()}
    sizes.update(drums=20, offers_per_cart=5, open_carts=3_000, days=365)
    sizes["offers"] = sizes["carts"] * sizes["offers_per_cart"]
    return sizes


EVENT_TYPES = ["CART_OPENED", "CLIENT_LOGGED", "OFFER_OPENED", "ORDER_PLACED", "SHIPMENT_READY"]
# CLIENT_LOGGED's receiver is down and holds the backlog.
DEAD_TYPE = "CLIENT_LOGGED"
SEARCHES = ["kowalski", "gmb", "nordwind elektro", "erp-000421", "q", "zakupy@", "mü", "zzzzzz"]


def row_id(kind, n):
    """The id scale.sql gives row `n` of a kind: md5(kind || n) as a UUID."""
    return str(uuid.UUID(hashlib.md5(f"{kind}{n}".encode()).hexdigest()))


def lua_strings(name, values):
    """A Lua table of strings, in long brackets: JSON bodies keep their quotes."""
    return f"local {name} = {{" + ",".join(f"[[{v}]]" for v in values) + "}\n"


def cursor(*parts):
    """A cursor as the service issues it (`orderpath_core::cursor::encode`)."""
    return base64.urlsafe_b64encode("\x1f".join(map(str, parts)).encode()).decode().rstrip("=")


class Receipts(http.server.BaseHTTPRequestHandler):
    """A webhook receiver noting when each cart's event first arrives; answers 204 to all."""
    arrived = {}
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        at = time.time()
        event = json.loads(self.rfile.read(int(self.headers.get("content-length", "0"))))
        cart = event.get("data", {}).get("cartId")
        if cart:
            Receipts.arrived.setdefault(cart, at)
        self.send_response(204)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class Sink(http.server.ThreadingHTTPServer):
    """The receiver's server: a thread per connection, and room for the dispatcher's
    connections to queue (the default backlog of 5 drops a burst of connects, each then
    retried after a second)."""
    request_queue_size = 512
    daemon_threads = True


# --- Loading ------------------------------------------------------------------------------

def create_endpoints(server):
    ids = {}
    for event in EVENT_TYPES:
        port = DEAD_PORT if event == DEAD_TYPE else SINK_PORT
        ids[event] = server.call("POST", "/webhooks", {
            "name": f"ERP {event}", "status": "ACTIVE", "event": event,
            "url": f"http://127.0.0.1:{port}/hooks", "authType": "NONE"})["id"]
    return ids


def run_sql(server, file, variables):
    args = ["psql", server.env["DATABASE_URL"], "-qX", "-v", "ON_ERROR_STOP=1"]
    for name, value in variables.items():
        args += ["-v", f"{name}={value}"]
    subprocess.run(args + ["-f", os.path.join(os.path.dirname(__file__), file)], check=True,
                   stdout=subprocess.DEVNULL)


def load(server, endpoints, sizes):
    """Writes the merchant at `sizes`; answers the seconds each part took."""
    db = server.env["DATABASE_URL"]
    [[user_id]] = psql_rows(db, "SELECT id FROM api_tokens WHERE name = 'bench'")
    times = {}
    started = time.monotonic()
    run_sql(server, "customers.sql", {"count": sizes["customers"]})
    times["customers"] = time.monotonic() - started
    started = time.monotonic()
    variables = {k: v for k, v in sizes.items() if k not in ("customers", "offers")}
    variables.update(user_id=user_id, dead=endpoints[DEAD_TYPE],
                     live=",".join(f"{t}={i}" for t, i in endpoints.items()))
    run_sql(server, "scale.sql", variables)
    times["merchant"] = time.monotonic() - started
    started = time.monotonic()
    psql(db, "VACUUM ANALYZE")
    times["vacuumAnalyze"] = time.monotonic() - started
    counts = {table: int(psql_rows(db, f"SELECT count(*) FROM {table}")[0][0]) for table in [
        "products", "customers", "carts", "cart_lines", "offers", "offer_lines", "orders",
        "order_lines", "shipment_lines", "domain_events", "webhook_deliveries",
        "webhook_attempts"]}
    [[waiting]] = psql_rows(db, "SELECT count(*) FROM shipment_lines "
                                "WHERE waiting_product_id IS NOT NULL")
    [[backlog]] = psql_rows(db, "SELECT count(*) FROM webhook_deliveries WHERE status = 'PENDING'")
    [[size]] = psql_rows(db, "SELECT pg_size_pretty(pg_database_size(current_database()))")
    counts.update(waitingLines=int(waiting), pendingDeliveries=int(backlog))
    return {k: round(v, 1) for k, v in times.items()}, counts, size


# --- What the users do ---------------------------------------------------------------------

class Work:
    """The requests measured, their inputs taken from the loaded rows."""

    def __init__(self, server, erp_token, endpoints, sizes):
        db = server.env["DATABASE_URL"]
        self.server, self.erp_token, self.endpoints = server, erp_token, endpoints
        self.sizes = sizes
        offers = sizes["offers"]
        self.api = server.url + BASE
        # Offers in an order of their own, each read once: slices per use.
        order = list(range(1, offers + 1))
        random.Random(7).shuffle(order)
        self.unread_offers = iter(order)
        # The ERP's incremental pull: from 50 offers before the end of the feed.
        [[txid, seq]] = psql_rows(db, "SELECT change_txid, change_seq FROM offers "
                                      f"WHERE id = '{row_id('o', offers - 50)}'")
        self.erp_recent = cursor(txid, seq)
        # The event feed read from 100 places spread over it.
        [[events]] = psql_rows(db, "SELECT max(seq) FROM domain_events")
        places = ",".join(str(int(events) * i // 100 + 1) for i in range(100))
        self.event_cursors = [cursor(t, s) for t, s in psql_rows(
            db, f"SELECT txid, seq FROM domain_events WHERE seq IN ({places})")]
        # Open carts: the first thousand take new lines, the others are ordered.
        self.line_carts = [row_id("oc", o) for o in range(1, 1001)]
        self.order_carts = iter(row_id("oc", o) for o in range(1001, sizes["open_carts"] + 1))
        standard = range(sizes["drums"] + sizes["cables"] + 1,
                         sizes["products"] - sizes["waiting_products"] + 1)
        self.stocked = [row_id("p", standard[(i * 7919) % len(standard)]) for i in range(200)]
        first_queued = sizes["products"] - sizes["waiting_products"] + 1
        self.queued = [row_id("p", first_queued + i) for i in range(100)]
        self.buyers = [r[0] for r in psql_rows(
            db, "SELECT id FROM customers WHERE currency = 'EUR' ORDER BY name_key LIMIT 200")]
        [[deliveries]] = psql_rows(db, "SELECT max(seq) FROM webhook_deliveries")
        self.delivery_logs = []
        for event, hook in endpoints.items():
            log = f"{BASE}/webhooks/{hook}/deliveries"
            self.delivery_logs += [log, f"{log}?cursor={cursor(int(deliveries) // 2)}",
                                   f"{log}?status=FAILED"]
        self.delivery_logs.append(f"{BASE}/webhooks/{endpoints[DEAD_TYPE]}/deliveries"
                                  "?status=PENDING")

    def offers_to_read(self, count):
        return [row_id("o", next(self.unread_offers)) for _ in range(count)]

    # wrk targets: (url, Lua script)
    def targets(self):
        token = self.server.token
        rotate = """
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format(method, paths[i], nil, bodies and bodies[i % #bodies + 1])
end
"""

        def script(method, paths, bodies=None, bearer=token):
            text = lua_strings("paths", paths) + f'local method = "{method}"\n'
            text += lua_strings("bodies", bodies) if bodies else "local bodies = nil\n"
            return lua(bearer, text + rotate)

        lines = [{"productId": p, "quantity": {"type": "UNIT", "value": "1"}}
                 for p in self.stocked]
        line_paths = [f"{BASE}/carts/{c}/products" for c in self.line_carts]
        return {
            "reference": (self.server.url + "/health/ready", None),
            "offerCold": None,  # a fresh list of offers each run: see `offer_cold`
            "erpIncremental": (self.api, script(
                "GET", [f"{BASE}/offers?cursor={self.erp_recent}"], bearer=self.erp_token)),
            "customerSearch": (self.api, script("GET", [
                f"{BASE}/customers?search={urllib.parse.quote(s)}" for s in SEARCHES])),
            "addLine": (self.api, script("POST", line_paths, [json.dumps(b) for b in lines])),
            "stockChange": (self.api, script(
                "PUT", [f"{BASE}/products/{p}/stock" for p in self.queued],
                [json.dumps({"available": v}) for v in ("1", "2", "3")])),
            "eventFeed": (self.api, script(
                "GET", [f"{BASE}/events?cursor={c}" for c in self.event_cursors])),
            "deliveryLog": (self.api, script("GET", self.delivery_logs)),
        }

    def offer_cold(self, seconds):
        """Reads `COLD_OFFERS` offers never read before, each once: the two wrk threads take
        alternate offers of the list and stop when it runs out (a connection still waiting then
        reads `/health/live`, which counts for nothing here), so a fast server never
        reads an offer twice."""
        offers = self.offers_to_read(COLD_OFFERS)
        path = [f"{BASE}/offer?offerId={o}" for o in offers]
        body = lua_strings("paths", path) + """
local threads = 0
function setup(thread)
  thread:set("first", threads + 1)
  threads = threads + 1
end
local i
request = function()
  i = (i or (first - 2)) + 2
  if paths[i] == nil then
    wrk.thread:stop()
    return wrk.format("GET", "/health/live")
  end
  return wrk.format("GET", paths[i])
end
"""
        result = wrk(self.api, None, CONNECTIONS, seconds, script=lua(self.server.token, body))
        result["offers"] = len(offers)
        # Each offer is read at most once by construction; the check below guards it.
        result["warmReads"] = 0 if result["requests"] <= len(offers) + CONNECTIONS else (
            result["requests"] - len(offers) - CONNECTIONS)
        return result

    # Python clients, one request at a time on a kept-alive connection each.
    def connection(self):
        host, port = self.server.url.removeprefix("http://").split(":")
        return http.client.HTTPConnection(host, int(port), timeout=120)

    def send(self, conn, method, path, body=None, token=None, expect=(200, 201)):
        headers = {"Authorization": f"Bearer {token or self.server.token}",
                   "Content-Type": "application/json"}
        started = time.perf_counter()
        conn.request(method, BASE + path, body=None if body is None else json.dumps(body),
                     headers=headers)
        answer = conn.getresponse()
        data = answer.read()
        elapsed = (time.perf_counter() - started) * 1000
        if answer.status not in expect:
            raise SystemExit(f"{method} {path}: {answer.status} {data[:300]!r}")
        return elapsed, data

    def erp_pull(self, limit_seconds=PULL_LIMIT_SECONDS):
        """The ERP reads the whole offer feed from the start, 500 offers a page."""
        conn, after, offers, pages = self.connection(), None, 0, []
        started = time.monotonic()
        while time.monotonic() - started < limit_seconds:
            path = "/offers?limit=500" + (f"&cursor={after}" if after else "")
            ms, data = self.send(conn, "GET", path, token=self.erp_token)
            page = json.loads(data)
            pages.append(ms)
            offers += len(page["items"])
            after = page["nextCursor"]
            if len(page["items"]) < 500:
                break
        seconds = time.monotonic() - started
        return {"offers": offers, "complete": offers >= self.sizes["offers"],
                "seconds": round(seconds, 1),
                "offersPerSecond": round(offers / seconds), "pages": len(pages),
                "pageP50Ms": percentile(pages, 0.5), "pageP99Ms": percentile(pages, 0.99)}

    def place_orders(self, clients, per_client):
        """Orders placed from prepared carts, each holding a product with a queue."""
        latencies, failures = [], []

        def client(carts):
            conn = self.connection()
            for cart in carts:
                try:
                    latencies.append(self.send(conn, "POST", f"/carts/{cart}/order", {})[0])
                except SystemExit as e:
                    failures.append(str(e))
            conn.close()

        threads = [threading.Thread(target=client, args=(
            [next(self.order_carts) for _ in range(per_client)],)) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if failures:
            raise SystemExit(f"order placement failed: {failures[:3]}")
        return {"orders": len(latencies), "clients": clients,
                "p50Ms": percentile(latencies, 0.5), "p99Ms": percentile(latencies, 0.99)}

    def dispatch(self, rate=50, seconds=10):
        """Event-to-receipt latency of CART_OPENED at `rate` events/s, beside the backlog."""
        Receipts.arrived = {}
        conn, sent = self.connection(), {}
        total = rate * seconds
        start = time.time()
        for i in range(total):
            time.sleep(max(0.0, start + i / rate - time.time()))
            before = time.time()
            _, data = self.send(conn, "POST", "/carts", {
                "customerId": self.buyers[i % len(self.buyers)], "source": "OFE"})
            sent[json.loads(data)["id"]] = before
        deadline = time.time() + 30
        # Every one of these carts (the receiver also gets events of earlier work).
        while time.time() < deadline and not all(c in Receipts.arrived for c in sent):
            time.sleep(0.05)
        latencies = [(Receipts.arrived[c] - t) * 1000 for c, t in sent.items()
                     if c in Receipts.arrived]
        # What became of an event that did not arrive: its delivery and attempts, as stored.
        missing = [{"cartId": c, "deliveries": psql_rows(
            self.server.env["DATABASE_URL"],
            "SELECT d.status, d.attempts, d.next_attempt_at, a.attempted_at, a.status_code, "
            "a.error FROM domain_events e JOIN webhook_deliveries d ON d.event_id = e.id "
            "LEFT JOIN webhook_attempts a ON a.delivery_id = d.id "
            f"WHERE e.event_type = 'CART_OPENED' AND e.data->>'cartId' = '{c}'")}
            for c in sent if c not in Receipts.arrived]
        return {"events": total, "received": len(latencies), "ratePerSecond": rate,
                "p50Ms": percentile(latencies, 0.5), "p99Ms": percentile(latencies, 0.99),
                "missing": missing}

    def exercise(self):
        """Every kind of request a few times, one after another: what the plans are
        captured from (prepared statements switch to a generic plan after five runs)."""
        conn, erp = self.connection(), self.erp_token
        for i in range(7):
            for offer in self.offers_to_read(3):
                self.send(conn, "GET", f"/offer?offerId={offer}")
            self.send(conn, "GET", f"/offers?cursor={self.erp_recent}", token=erp)
            self.send(conn, "GET", f"/customers?search={urllib.parse.quote(SEARCHES[i])}")
            self.send(conn, "POST", f"/carts/{self.line_carts[i]}/products",
                      {"productId": self.stocked[i], "quantity": {"type": "UNIT", "value": "1"}})
            self.send(conn, "PUT", f"/products/{self.queued[i]}/stock", {"available": "1"})
            self.send(conn, "GET", f"/events?cursor={self.event_cursors[i * 13]}")
            self.send(conn, "GET", self.delivery_logs[i * 2].removeprefix(BASE))
            self.send(conn, "GET", self.delivery_logs[i * 2 + 1].removeprefix(BASE))
        for log in self.delivery_logs:
            self.send(conn, "GET", log.removeprefix(BASE))
        after = None
        for _ in range(7):
            path = "/offers?limit=500" + (f"&cursor={after}" if after else "")
            after = json.loads(self.send(conn, "GET", path, token=erp)[1])["nextCursor"]
        self.place_orders(1, 7)
        self.dispatch(rate=10, seconds=1)
        conn.close()


def percentile(values, q):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 2) if values else None


def median_p99(runs):
    return sorted(runs, key=lambda r: r["p99Ms"])[len(runs) // 2]


def measure(works, names):
    """Every wrk target of `names`, `ROUNDS` times interleaved, at each size of `works`
    (size: `Work`) in turn, the sizes' order reversed every other round; the median-p99
    run of each target at each size."""
    runs = {size: {name: [] for name in names} for size in works}
    targets = {size: work.targets() for size, work in works.items()}
    for round_ in range(ROUNDS):
        sizes = list(works) if round_ % 2 == 0 else list(works)[::-1]
        for name in names:
            for size in sizes:
                focus(works, size)
                if name == "offerCold":
                    runs[size][name].append(works[size].offer_cold(SECONDS))
                else:
                    url, script = targets[size][name]
                    runs[size][name].append(wrk(url, None, CONNECTIONS, SECONDS, script=script))
    return {size: {name: median_p99(r) for name, r in by_name.items()}
            for size, by_name in runs.items()}


def focus(works, size):
    """Lets only `size`'s server run: the others are frozen, as if alone on the machine.
    A server just thawed gets a moment for the timers that fell due while it was frozen."""
    if len(works) == 1:
        return
    for other, work in works.items():
        if other != size:
            work.server.pause()
    works[size].server.resume()
    time.sleep(1)


def old_events(db):
    return int(psql_rows(db, "SELECT count(*) FROM domain_events WHERE occurred_at < "
                             f"now() - interval '{RETENTION_DAYS} days'")[0][0])


def uptime():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


# The server's settings while measuring: the sink is on loopback, and no event is old
# enough for retention to delete.
QUIET = {"ORDERPATH_WEBHOOK_ALLOW_PRIVATE": "true", "ORDERPATH_EVENT_RETENTION_DAYS": "36500"}
MEASURED = ["reference", "offerCold", "erpIncremental", "customerSearch", "addLine",
            "stockChange", "eventFeed", "deliveryLog"]


def prepare(server, size):
    """Loads the merchant at `size` into `server`'s database and captures the plans of its
    requests; answers its `Work` and its result so far, the server stopped."""
    sizes = sizes_of(size)
    result = {"size": size, "sizes": sizes, "loadAverage": {"start": uptime()}}
    db = server.env["DATABASE_URL"]
    endpoints = create_endpoints(server)
    erp_token = server.create_token("integration", "ERP")
    server.stop()
    print(f"loading the merchant at {size} size...", file=sys.stderr)
    result["loadSeconds"], result["rows"], result["databaseSize"] = load(
        server, endpoints, sizes)
    print(f"loaded in {result['loadSeconds']} s: {result['rows']}, {result['databaseSize']}",
          file=sys.stderr)
    result["loadAverage"]["afterLoad"] = uptime()
    # Before anything reads the log: a status page's first read and what it reads.
    result["deliveryLogFirstRead"] = first_read_costs(db, endpoints["CART_OPENED"])

    # The plans, retention sweeping the few events older than the oldest day kept.
    work = Work(server, erp_token, endpoints, sizes)
    capture = Capture(server.admin_url, server.database)
    with capture:
        server.env["ORDERPATH_EVENT_RETENTION_DAYS"] = str(sizes["days"] - 1)
        server.start()
        work.exercise()
        time.sleep(3)  # the dispatcher's and the sweeps' own statements
        server.stop()
    statements = check(capture.plans())
    scans = [s for s in statements if s["seqScans"]]
    filtered = [s for s in statements if s["filtered"]]
    result["plans"] = {"statements": len(statements), "withSeqScan": scans,
                       "filteringGrowingTables": filtered}
    server.env.update(QUIET)
    return work, result


def retention(work):
    """The p99 of adds and first offer reads while old events are deleted, and without."""
    server, db = work.server, work.server.env["DATABASE_URL"]
    old_before = old_events(db)
    server.stop()
    server.env["ORDERPATH_EVENT_RETENTION_DAYS"] = str(RETENTION_DAYS)
    server.start()
    [deleting] = measure({"": work}, ["addLine", "offerCold"]).values()
    old_after = old_events(db)
    server.stop()
    server.env.update(QUIET)
    server.start()
    [idle] = measure({"": work}, ["addLine", "offerCold"]).values()
    return {"oldEventsBefore": old_before, "oldEventsAfter": old_after,
            "deleting": deleting, "idle": idle,
            "p99Ratio": {n: round(deleting[n]["p99Ms"] / idle[n]["p99Ms"], 2) for n in idle}}


def main():
    sink = Sink(("127.0.0.1", SINK_PORT), Receipts)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    works, results = {}, {}
    with contextlib.ExitStack() as servers:
        for size in sizes_to_run():
            server = servers.enter_context(Server(f"scale_{size}", PORTS[size], QUIET))
            works[size], results[size] = prepare(server, size)

        print("measuring...", file=sys.stderr)
        for work in works.values():
            work.server.start()
            wrk(work.server.url + "/health/ready", None, CONNECTIONS, 1)
        measured = measure(works, MEASURED)
        for size, work in works.items():
            result = results[size]
            focus(works, size)
            measured[size]["placeOrder"] = work.place_orders(
                4, (work.sizes["open_carts"] - 1000 - 7) // 8)
            measured[size]["webhookDispatch"] = work.dispatch()
            result["erpPull"] = work.erp_pull()
            result["loadAverage"]["afterMeasuring"] = uptime()
        for size, work in works.items():
            # One instance at a time: the others stopped, so that only its sweep runs.
            for other in works.values():
                other.server.stop()
            work.server.start()
            results[size]["retention"] = retention(work)
            results[size]["loadAverage"]["end"] = uptime()
    sink.shutdown()
    for size, result in results.items():
        result["p99"] = {name: r["p99Ms"] for name, r in measured[size].items()}
        result["measured"] = measured[size]
    return report(results)


def report(results):
    """Prints each size's results and checks, and the full size's p99s against the
    tenth's: from this run when both were measured in it, else from the other size's last
    run. Answers the exit status."""
    passed = True
    for result in results.values():
        passed &= report_size(result)
    if len(results) == 2:
        passed &= compare(results["full"], results["tenth"], "measured in turn in this run")
    else:
        [result] = results.values()
        other = "tenth" if result["size"] == "full" else "full"
        path = f"bench-results/scale-{other}.json"
        if os.path.exists(path):
            with open(path) as f:
                previous = json.load(f)
            full, tenth = (result, previous) if other == "tenth" else (previous, result)
            passed &= compare(full, tenth, f"against {path}, another run")
    for result in results.values():
        write_result(f"scale-{result['size']}", result)
    return 0 if passed else 1


def compare(full, tenth, source):
    """The full size's p99s against the tenth's; recorded in both results."""
    ratios = {n: round(full["p99"][n] / tenth["p99"][n], 2) for n in full["p99"]
              if tenth["p99"].get(n)}
    ratios["erpPullPageP99"] = round(full["erpPull"]["pageP99Ms"]
                                     / tenth["erpPull"]["pageP99Ms"], 2)
    for result in (full, tenth):
        result["fullVsTenthP99"] = {"source": source, "ratios": ratios}
    print(f"\np99 full / tenth, {source}: {ratios}")
    ok = all(r <= 1.5 for n, r in ratios.items() if n != "reference")
    print(f"  {'PASS' if ok else 'FAIL'}  every p99 at full <= 1.5x the tenth's")
    return ok


def report_size(result):
    """Prints one size's results and checks; answers whether every check passed."""
    print(f"\nscale {result['size']}: loaded in {result['loadSeconds']} s, "
          f"{result['databaseSize']}; rows {result['rows']}")
    print(f"\n{'target':<18} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for name, r in result["measured"].items():
        print(f"{name:<18} {r.get('rps', 0):>9.0f} {r['p50Ms']:>8.2f} {r['p99Ms']:>8.2f} "
              f"{r.get('non2xx', 0):>8}")
    pull = result["erpPull"]
    print(f"\nERP pull from the start: {pull['offers']} offers in {pull['seconds']} s, "
          f"{pull['offersPerSecond']} offers/s (page p99 {pull['pageP99Ms']} ms)")
    kept = result["retention"]
    print(f"retention deleting ({kept['oldEventsBefore']} -> {kept['oldEventsAfter']} old events): "
          f"p99 while deleting / without: {kept['p99Ratio']}")
    plans = result["plans"]
    print(f"plans: {plans['statements']} distinct statements, "
          f"{len(plans['withSeqScan'])} with a sequential scan of a growing table")
    for s in plans["withSeqScan"]:
        print(f"  SEQ SCAN of {', '.join(s['seqScans'])}: {s['query'][:300]}")
    print(f"       {len(plans['filteringGrowingTables'])} reading more than "
          f"{FILTERED_LIMIT:,} rows of a growing table to throw them away")
    for s in plans["filteringGrowingTables"]:
        print(f"  FILTERED {', '.join(s['filtered'])}: {s['query'][:300]}")
    first = result["deliveryLogFirstRead"]
    print(f"delivery log, first read of a FAILED page ({first['deliveries']} deliveries): "
          f"page {first['page']}, attempts {first['attempts']}")
    print(f"load average: {result['loadAverage']}")
    checks = {
        "no sequential scan of a growing table": not plans["withSeqScan"],
        "no read of a growing table thrown away": not plans["filteringGrowingTables"],
        "no errors": all(r.get("non2xx", 0) == 0 for r in result["measured"].values()),
        "the ERP pulls the whole feed": pull["complete"],
        "the ERP pulls >= 5,000 offers/s": pull["offersPerSecond"] >= 5000,
        "offers read cold were all cold": result["measured"]["offerCold"]["warmReads"] == 0,
        "every webhook event received": result["measured"]["webhookDispatch"]["received"]
        == result["measured"]["webhookDispatch"]["events"],
    }
    result["checks"] = checks
    for name, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    return all(checks.values())


if __name__ == "__main__":
    sys.exit(main())
