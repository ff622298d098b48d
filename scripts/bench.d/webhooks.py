"""Webhook benchmark (docs/benchmarks.md, Webhook benchmark), release build, with load
generator, database, sink and server all on this machine:

(a) end to end: wrk sends `POST /carts` for 200 customers in turn (16 connections,
    `BENCH_SECONDS`), one endpoint subscribed to `CART_OPENED` delivers into nginx (answering
    204 and logging each request's time and `webhook-id`); deliveries/s = events delivered /
    time from the first request until the last delivery arrived. Every event must arrive
    exactly once: as many deliveries as events, each `SUCCEEDED` after one attempt, as many
    requests at nginx as events, no `webhook-id` twice. The same `POST /carts` load without
    any endpoint, in the same run, says what the webhooks take from ingest.
(a') the dispatcher alone: `BENCH_WEBHOOK_EVENTS` events recorded in one transaction, time
    from their commit until every delivery has arrived, and the CPU the server and its
    database connections spent per delivery.
(b) latency at a light steady rate (`BENCH_WEBHOOK_RATE`/s for `BENCH_SECONDS`): from the
    event's own time (its `occurredAt`, taken by the server) to the moment a receiver on this
    machine gets it. Measured twice: right after (a'), while PostgreSQL still writes back and
    vacuums the half a million events (a) and (a') recorded (printed, for what a burst leaves
    behind), and then settled, after a `VACUUM ANALYZE` and a `CHECKPOINT` have done that
    work: the light rate itself, which the target is about.
(c) the server's resident memory, sampled every 50 ms throughout.

`BENCH_WEBHOOK_NOTIFY_EVERY_EVENT=1` holds the dispatchers' wake-up lock shared from a side
connection for the whole run, so that every event's transaction notifies, as before the
fan-out learnt to leave an awake dispatcher alone: that change's share of the figures.
"""

import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime

sys.path.insert(0, os.path.dirname(__file__))
from harness import BASE, Server, lua, lua_list, median_run, wrk, write_result  # noqa: E402

EVENTS = int(os.environ.get("BENCH_WEBHOOK_EVENTS", "20000"))
RATE = int(os.environ.get("BENCH_WEBHOOK_RATE", "50"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = 16
CUSTOMERS = 200
NGINX_PORT = 18090
SINK_PORT = 18091
CLOCK_TICK = os.sysconf("SC_CLK_TCK")
NOTIFY_EVERY_EVENT = os.environ.get("BENCH_WEBHOOK_NOTIFY_EVERY_EVENT") == "1"
# The advisory lock an awake dispatcher holds (crates/webhooks/src/dispatcher/awake.rs).
AWAKE_LOCK = 0x6f70_7768_6177_616b


def start_nginx(workdir):
    """nginx answering 204, logging when each request arrived and its `webhook-id`."""
    conf = os.path.join(workdir, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log;
events {{ worker_connections 4096; }}
http {{
    log_format hooks '$msec $http_webhook_id';
    access_log {workdir}/hooks.log hooks;
    keepalive_requests 1000000;
    client_body_temp_path {workdir}/body;
    server {{
        listen 127.0.0.1:{NGINX_PORT};
        location / {{ return 204; }}
    }}
}}
""")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    return subprocess.Popen([nginx, "-c", conf, "-p", workdir, "-g", "daemon off;"])


class NginxLog:
    """The sink's log of arrivals, read and emptied between measures."""

    def __init__(self, workdir):
        self.path = os.path.join(workdir, "hooks.log")

    def clear(self):
        # nginx appends: truncating starts the log afresh without reopening it.
        open(self.path, "w").close()

    def arrivals(self):
        """(arrival time, webhook-id) of every request logged so far."""
        with open(self.path) as f:
            return [(float(at), hook_id) for at, hook_id in (line.split() for line in f)]


def sql(server, query):
    out = subprocess.run(["psql", server.env["DATABASE_URL"], "-tAc", query],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


class Cpu:
    """CPU seconds spent by the server process and by its database's backends (read from
    /proc), and by the whole machine, between `start()` and `seconds()`."""

    def __init__(self, server):
        self.server = server

    def _backends(self):
        pids = subprocess.run(
            ["psql", self.server.admin_url, "-tAc",
             f"SELECT pid FROM pg_stat_activity WHERE datname = '{self.server.database}'"],
            check=True, capture_output=True, text=True).stdout.split()
        return {pid: _process_cpu(pid) for pid in pids}

    def start(self):
        self.server_cpu = _process_cpu(self.server.process.pid)
        self.backends = self._backends()
        self.machine = _machine_busy()
        return self

    def seconds(self):
        backends = self._backends()
        busy, total = _machine_busy()
        return {
            "server": _process_cpu(self.server.process.pid) - self.server_cpu,
            "database": sum(cpu - self.backends.get(pid, 0.0) for pid, cpu in backends.items()),
            "machineBusyCores": (busy - self.machine[0]) / max(total - self.machine[1], 1e-9)
            * os.cpu_count(),
        }


def _process_cpu(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICK
    except OSError:
        return 0.0


def _machine_busy():
    with open("/proc/stat") as f:
        ticks = [int(t) for t in f.readline().split()[1:]]
    idle = ticks[3] + ticks[4]
    return sum(ticks) - idle, sum(ticks)


def endpoint(server, name, port):
    return server.call("POST", "/webhooks", {
        "name": name, "status": "ACTIVE", "event": "CART_OPENED",
        "url": f"http://127.0.0.1:{port}/hook", "authType": "NONE"})


def deactivate(server, hook):
    server.call("PATCH", f"/webhooks/{hook['id']}", {"status": "INACTIVE"})


def wait_delivered(server, hook, deadline_seconds=300):
    """Waits (bounded) until no delivery of `hook` is pending; answers the counts."""
    deadline = time.time() + deadline_seconds
    query = f"""SELECT count(*), count(*) FILTER (WHERE status = 'SUCCEEDED'),
                       count(*) FILTER (WHERE status = 'PENDING'),
                       (SELECT count(*) FROM webhook_attempts a JOIN webhook_deliveries d
                          ON d.id = a.delivery_id WHERE d.webhook_id = '{hook['id']}')
                  FROM webhook_deliveries WHERE webhook_id = '{hook['id']}'"""
    while True:
        deliveries, succeeded, pending, attempts = map(int, sql(server, query).split("|"))
        if pending == 0 or time.time() > deadline:
            return {"deliveries": deliveries, "succeeded": succeeded, "attempts": attempts}
        # Each look starts psql: not so often that it loads the machine measured.
        time.sleep(0.25)


def delivered_once(counts, events, arrivals):
    """Every event delivered exactly once, by the database's records and by the sink's."""
    ids = [hook_id for _, hook_id in arrivals]
    return (counts["deliveries"] == counts["succeeded"] == counts["attempts"] == events
            == len(ids) == len(set(ids)))


def last_event_seq(server):
    return int(sql(server, "SELECT COALESCE(max(seq), 0) FROM domain_events"))


def carts_since(server, seq):
    return int(sql(server, "SELECT count(*) FROM domain_events "
                           f"WHERE event_type = 'CART_OPENED' AND seq > {seq}"))


def ingest_alone(server, url, script):
    """`POST /carts` with no endpoint subscribed: what ingest does without webhooks."""
    cpu = Cpu(server).start()
    run = wrk(url, None, CONNECTIONS, SECONDS, script=script)
    used = cpu.seconds()
    requests = run["rps"] * SECONDS
    return {**run, "cpuMsPerRequest": _per(used, requests), "machineBusyCores": round(
        used["machineBusyCores"], 2)}


def end_to_end(server, url, script, sink):
    """`POST /carts` with one endpoint delivering into nginx, until the last delivery."""
    hook = endpoint(server, "nginx sink", NGINX_PORT)
    sink.clear()
    seq = last_event_seq(server)
    cpu = Cpu(server).start()
    started = time.time()
    run = wrk(url, None, CONNECTIONS, SECONDS, script=script)
    counts = wait_delivered(server, hook)
    used = cpu.seconds()
    deactivate(server, hook)
    events = carts_since(server, seq)
    arrivals = sink.arrivals()
    last = max((at for at, _ in arrivals), default=started)
    return {**run, **counts, "events": events, "arrived": len(arrivals),
            "exactlyOnce": delivered_once(counts, events, arrivals),
            "seconds": round(last - started, 3),
            "deliveriesPerSecond": round(counts["succeeded"] / (last - started), 1),
            "cpuMsPerEvent": _per(used, events),
            "machineBusyCores": round(used["machineBusyCores"], 2)}


def dispatcher_only(server, sink):
    """Events recorded in one transaction: the dispatcher alone, and its CPU per delivery."""
    hook = endpoint(server, "nginx sink, dispatcher alone", NGINX_PORT)
    sink.clear()
    seq = last_event_seq(server)
    sql(server, f"""
        INSERT INTO domain_events (id, event_type, occurred_at, data)
        SELECT gen_random_uuid(), 'CART_OPENED', now(),
               jsonb_build_object('customerId', gen_random_uuid(), 'cartId', gen_random_uuid(),
                                  'source', 'OFE')
        FROM generate_series(1, {EVENTS})""")
    cpu = Cpu(server).start()
    recorded = time.time()
    counts = wait_delivered(server, hook)
    used = cpu.seconds()
    deactivate(server, hook)
    arrivals = sink.arrivals()
    last = max((at for at, _ in arrivals), default=recorded)
    events = carts_since(server, seq)
    return {**counts, "events": events, "exactlyOnce": delivered_once(counts, events, arrivals),
            "seconds": round(last - recorded, 3),
            "deliveriesPerSecond": round(counts["succeeded"] / (last - recorded), 1),
            "cpuMsPerDelivery": _per(used, counts["succeeded"]),
            "machineBusyCores": round(used["machineBusyCores"], 2)}


def _per(used, count):
    """CPU milliseconds per item: server, its database backends, both."""
    count = max(count, 1)
    server, database = used["server"] * 1000 / count, used["database"] * 1000 / count
    return {"server": round(server, 3), "database": round(database, 3),
            "total": round(server + database, 3)}


class Sink(http.server.BaseHTTPRequestHandler):
    """Notes when each event arrives, against the event's own time."""
    received = {}
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        at = time.time()
        event = json.loads(self.rfile.read(int(self.headers.get("content-length", "0"))))
        occurred = datetime.fromisoformat(event["occurredAt"].replace("Z", "+00:00"))
        Sink.received.setdefault(event["id"], (at - occurred.timestamp()) * 1000)
        self.send_response(204)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def latency(server):
    Sink.received = {}
    sink = http.server.ThreadingHTTPServer(("127.0.0.1", SINK_PORT), Sink)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    hook = endpoint(server, "latency sink", SINK_PORT)
    customer = str(uuid.uuid4())
    server.call("PUT", f"/customers/{customer}", {"name": "Bench", "currency": "EUR"})
    total = RATE * SECONDS
    start = time.time()
    for i in range(total):
        time.sleep(max(0.0, start + i / RATE - time.time()))
        server.call("POST", "/carts", {"customerId": customer, "source": "OFE"})
    deadline = time.time() + 30
    while time.time() < deadline and len(Sink.received) < total:
        time.sleep(0.05)
    sink.shutdown()
    sink.server_close()
    deactivate(server, hook)
    latencies = sorted(Sink.received.values())
    pick = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 2)
    return {"events": total, "received": len(latencies), "ratePerSecond": RATE,
            "p50Ms": pick(0.50), "p99Ms": pick(0.99), "maxMs": round(latencies[-1], 2)}


class RssSampler(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak_kib, self.running = pid, 0, True

    def run(self):
        while self.running:
            try:
                with open(f"/proc/{self.pid}/status") as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            self.peak_kib = max(self.peak_kib, int(line.split()[1]))
            except OSError:
                pass
            time.sleep(0.05)


def cart_script(server):
    customers = [str(uuid.uuid4()) for _ in range(CUSTOMERS)]
    for i, customer in enumerate(customers):
        server.call("PUT", f"/customers/{customer}", {"name": f"Bench {i}", "currency": "EUR"})
    return lua(server.token, lua_list("customers", customers) + f"""
local i = 0
request = function()
  i = i % #customers + 1
  return wrk.format("POST", "{BASE}/carts", nil,
    '{{"customerId":"' .. customers[i] .. '","source":"OFE"}}')
end
""")


def measure(server, sink):
    script = cart_script(server)
    url = server.url + BASE
    wrk(server.url + "/health/ready", None, CONNECTIONS, 2)
    alone, ends = [], []
    for _ in range(ROUNDS):
        alone.append(ingest_alone(server, url, script))
        ends.append(end_to_end(server, url, script, sink))
    e2e = sorted(ends, key=lambda r: r["deliveriesPerSecond"])[len(ends) // 2]
    e2e["allRoundsExactlyOnce"] = all(r["exactlyOnce"] for r in ends)
    e2e["rounds"] = [r["deliveriesPerSecond"] for r in ends]
    bulk = dispatcher_only(server, sink)
    after_burst = latency(server)
    settle(server)
    settled = latency(server)
    settled["afterBurst"] = after_burst
    return median_run(alone), e2e, bulk, settled


def settle(server):
    """Does now what PostgreSQL would otherwise do during the next measure: vacuums and
    analyses the tables the bursts wrote, and writes their pages back."""
    sql(server, "VACUUM ANALYZE")
    sql(server, "CHECKPOINT")


def report(alone, e2e, bulk, light, peak_mib):
    print(f"\n(a) POST /carts, {CONNECTIONS} connections, {SECONDS} s, median of {ROUNDS}:")
    print(f"    no endpoint:      {alone['rps']:.0f}/s, p99 {alone['p99Ms']} ms, "
          f"CPU {alone['cpuMsPerRequest']['total']} ms/request "
          f"(server {alone['cpuMsPerRequest']['server']}, database "
          f"{alone['cpuMsPerRequest']['database']}), machine {alone['machineBusyCores']} cores busy")
    print(f"    one endpoint:     {e2e['rps']:.0f}/s, p99 {e2e['p99Ms']} ms, "
          f"CPU {e2e['cpuMsPerEvent']['total']} ms/event "
          f"(server {e2e['cpuMsPerEvent']['server']}, database "
          f"{e2e['cpuMsPerEvent']['database']}), machine {e2e['machineBusyCores']} cores busy")
    print(f"    end to end:       {e2e['deliveriesPerSecond']} deliveries/s ({e2e['succeeded']} "
          f"delivered in {e2e['seconds']} s from the first request; rounds {e2e['rounds']}); "
          f"ingest with webhooks {e2e['rps'] / alone['rps']:.2f} of ingest without")
    print(f"    exactly once:     {e2e['events']} events, {e2e['deliveries']} deliveries, "
          f"{e2e['attempts']} attempts, {e2e['arrived']} arrivals -> "
          f"{'yes' if e2e['allRoundsExactlyOnce'] else 'NO'}")
    print(f"(a') dispatcher alone: {bulk['deliveriesPerSecond']} deliveries/s ({bulk['succeeded']} "
          f"in {bulk['seconds']} s, {bulk['attempts']} attempts), CPU "
          f"{bulk['cpuMsPerDelivery']['total']} ms/delivery (server "
          f"{bulk['cpuMsPerDelivery']['server']}, database {bulk['cpuMsPerDelivery']['database']})")
    burst = light["afterBurst"]
    print(f"(b) {light['events']} events at {light['ratePerSecond']}/s, from occurredAt to receipt: "
          f"p50 {light['p50Ms']} ms, p99 {light['p99Ms']} ms, max {light['maxMs']} ms "
          f"({light['received']} received); right after (a'), before settling: p50 "
          f"{burst['p50Ms']} ms, p99 {burst['p99Ms']} ms, max {burst['maxMs']} ms")
    print(f"(c) peak resident memory of the server: {peak_mib} MiB")
    checks = {
        "end to end >= 3,000 deliveries/s": e2e["deliveriesPerSecond"] >= 3000,
        "every event delivered exactly once": e2e["allRoundsExactlyOnce"] and bulk["exactlyOnce"],
        "no failed POST /carts": alone["non2xx"] == e2e["non2xx"] == 0,
        "latency p99 under 5 ms": light["received"] == light["events"] and light["p99Ms"] < 5,
        "resident memory under 64 MB": peak_mib * 1024 * 1024 < 64 * 1000 * 1000,
    }
    for check, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {check}")
    return checks


def hold_awake_lock(server):
    """A side connection holding the wake-up lock shared: no dispatcher can be awake for
    the trigger, so every event's transaction notifies."""
    return subprocess.Popen(["psql", server.env["DATABASE_URL"], "-qc",
                             f"SELECT pg_advisory_lock_shared({AWAKE_LOCK})", "-c",
                             "SELECT pg_sleep(3600)"], stdout=subprocess.DEVNULL)


def main():
    workdir = tempfile.mkdtemp(prefix="orderpath-bench-")
    nginx = start_nginx(workdir)
    load_before = os.getloadavg()
    try:
        env = {"ORDERPATH_WEBHOOK_ALLOW_PRIVATE": "true"}
        with Server("webhooks", 18081, env) as server:
            rss = RssSampler(server.process.pid)
            rss.start()
            holder = hold_awake_lock(server) if NOTIFY_EVERY_EVENT else None
            try:
                alone, e2e, bulk, light = measure(server, NginxLog(workdir))
            finally:
                if holder:
                    holder.terminate()
                    holder.wait()
            rss.running = False
    finally:
        nginx.terminate()
        nginx.wait()
        shutil.rmtree(workdir, ignore_errors=True)
    peak_mib = round(rss.peak_kib / 1024, 1)
    print(f"\nload average before the run: {load_before[0]:.2f}"
          + ("; every event notifying (wake-up lock held aside)" if NOTIFY_EVERY_EVENT else ""))
    checks = report(alone, e2e, bulk, light, peak_mib)
    write_result("webhooks", {"ingestAlone": alone, "endToEnd": e2e, "dispatcherAlone": bulk,
                              "latency": light, "peakRssMiB": peak_mib,
                              "loadAverageBefore": load_before[0],
                              "notifyEveryEvent": NOTIFY_EVERY_EVENT, "checks": checks})
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
