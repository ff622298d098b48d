"""Webhook benchmark: (a) sustained deliveries/s from the outbox into a fast local sink
(nginx answering 204), every attempt logged; (b) event-to-receipt latency at a light
steady rate, measured from before the API call that records the event to the moment a
receiver gets it; and the server's resident memory throughout. Release build, with load
generator, database, sink and server all on this machine."""

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

sys.path.insert(0, os.path.dirname(__file__))
from harness import Server, psql, write_result  # noqa: E402

EVENTS = int(os.environ.get("BENCH_WEBHOOK_EVENTS", "20000"))
RATE = int(os.environ.get("BENCH_WEBHOOK_RATE", "50"))
LATENCY_SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
NGINX_PORT = 18090
SINK_PORT = 18091


def start_nginx(workdir):
    conf = os.path.join(workdir, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log;
events {{ worker_connections 4096; }}
http {{
    access_log off;
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


class Sink(http.server.BaseHTTPRequestHandler):
    """Notes when each cart's CART_OPENED arrives."""
    received = {}
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        at = time.time()
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        cart = json.loads(body)["data"]["cartId"]
        Sink.received.setdefault(cart, at)
        self.send_response(204)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


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


def count(server, status):
    out = subprocess.run(["psql", server.env["DATABASE_URL"], "-tAc",
                          f"SELECT count(*) FROM webhook_deliveries WHERE status = '{status}'"],
                         check=True, capture_output=True, text=True)
    return int(out.stdout.strip())


def throughput(server):
    hook = server.call("POST", "/webhooks", {
        "name": "nginx sink", "status": "ACTIVE", "event": "CART_OPENED",
        "url": f"http://127.0.0.1:{NGINX_PORT}/hook", "authType": "NONE"})
    started = time.time()
    psql(server.env["DATABASE_URL"], f"""
        INSERT INTO domain_events (id, event_type, occurred_at, data)
        SELECT gen_random_uuid(), 'CART_OPENED', now(),
               jsonb_build_object('customerId', gen_random_uuid(), 'cartId', gen_random_uuid(), 'source', 'OFE')
        FROM generate_series(1, {EVENTS})""")
    recorded = time.time()
    deadline = recorded + 300
    while time.time() < deadline and count(server, "SUCCEEDED") < EVENTS:
        time.sleep(0.1)
    done = time.time()
    succeeded = count(server, "SUCCEEDED")
    out = subprocess.run(["psql", server.env["DATABASE_URL"], "-tAc", "SELECT count(*) FROM webhook_attempts"],
                         check=True, capture_output=True, text=True)
    server.call("PATCH", f"/webhooks/{hook['id']}", {"status": "INACTIVE"})
    return {"events": EVENTS, "succeeded": succeeded, "attemptsLogged": int(out.stdout.strip()),
            "recordSeconds": round(recorded - started, 3), "deliverSeconds": round(done - recorded, 3),
            "deliveriesPerSecond": round(succeeded / (done - recorded), 1)}


def latency(server):
    Sink.received = {}
    sink = http.server.ThreadingHTTPServer(("127.0.0.1", SINK_PORT), Sink)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    server.call("POST", "/webhooks", {
        "name": "latency sink", "status": "ACTIVE", "event": "CART_OPENED",
        "url": f"http://127.0.0.1:{SINK_PORT}/hook", "authType": "NONE"})
    customer = str(uuid.uuid4())
    server.call("PUT", f"/customers/{customer}", {"name": "Bench", "currency": "EUR"})
    sent = {}
    total = RATE * LATENCY_SECONDS
    start = time.time()
    for i in range(total):
        time.sleep(max(0.0, start + i / RATE - time.time()))
        before = time.time()
        cart = server.call("POST", "/carts", {"customerId": customer, "source": "OFE"})
        sent[cart["id"]] = before
    deadline = time.time() + 30
    while time.time() < deadline and len(Sink.received) < total:
        time.sleep(0.05)
    sink.shutdown()
    latencies = sorted((Sink.received[c] - t) * 1000 for c, t in sent.items() if c in Sink.received)
    pick = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 2)
    return {"events": total, "received": len(latencies), "ratePerSecond": RATE,
            "p50Ms": pick(0.50), "p99Ms": pick(0.99), "maxMs": round(latencies[-1], 2)}


def main():
    workdir = tempfile.mkdtemp(prefix="orderpath-bench-")
    nginx = start_nginx(workdir)
    try:
        env = {"ORDERPATH_WEBHOOK_ALLOW_PRIVATE": "true"}
        with Server("webhooks", 18081, env) as server:
            rss = RssSampler(server.process.pid)
            rss.start()
            bulk = throughput(server)
            light = latency(server)
            rss.running = False
    finally:
        nginx.terminate()
        nginx.wait()
        shutil.rmtree(workdir, ignore_errors=True)
    peak_mib = round(rss.peak_kib / 1024, 1)
    print(f"\n(a) {bulk['events']} events into nginx: {bulk['deliveriesPerSecond']} deliveries/s "
          f"({bulk['succeeded']} delivered in {bulk['deliverSeconds']} s, {bulk['attemptsLogged']} attempts logged)")
    print(f"(b) {light['events']} events at {light['ratePerSecond']}/s: event-to-receipt "
          f"p50 {light['p50Ms']} ms, p99 {light['p99Ms']} ms, max {light['maxMs']} ms ({light['received']} received)")
    print(f"(c) peak resident memory of the server: {peak_mib} MiB")
    checks = {
        "at least 2,000 deliveries/s": bulk["deliveriesPerSecond"] >= 2000,
        "every delivery's attempt logged": bulk["attemptsLogged"] >= bulk["succeeded"] == bulk["events"],
        "event-to-receipt p99 under 10 ms": light["received"] == light["events"] and light["p99Ms"] < 10,
        "resident memory under 64 MB": rss.peak_kib * 1024 < 64 * 1000 * 1000,
    }
    for check, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {check}")
    write_result("webhooks", {"throughput": bulk, "latency": light, "peakRssMiB": peak_mib, "checks": checks})
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
