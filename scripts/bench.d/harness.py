"""Shared pieces of the benchmarks: a throw-away database, the release server, HTTP
seeding, and wrk runs parsed into numbers."""

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

# The API client of the browser tests serves the benchmarks' seeding too.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "tests", "browser"))
from orderpath import BASE, Api  # noqa: E402
# Where `cargo build --release` put it: CARGO_TARGET_DIR is honoured, as cargo does.
BINARY = os.path.join(os.environ.get("CARGO_TARGET_DIR") or "target", "release", "orderpath")


def psql(admin_url, sql):
    subprocess.run(["psql", admin_url, "-qc", sql], check=True, stdout=subprocess.DEVNULL)


def psql_rows(url, sql):
    """The rows of one query, each a list of its columns as text."""
    out = subprocess.run(["psql", url, "-XAtF", "\t", "-c", sql], check=True,
                         capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


class Server:
    """The release binary on its own fresh database, stopped and dropped on exit."""

    def __init__(self, name, port, env=None):
        self.admin_url = os.environ["BENCH_ADMIN_URL"]
        self.database = f"orderpath_bench_{name}"
        self.url = f"http://127.0.0.1:{port}"
        psql(self.admin_url, f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")
        psql(self.admin_url, f"CREATE DATABASE {self.database}")
        self.env = dict(os.environ)
        self.env.update({
            "DATABASE_URL": self.admin_url.rsplit("/", 1)[0] + "/" + self.database
            + "?sslmode=disable",
            "ORDERPATH_BIND": f"127.0.0.1:{port}",
            "RUST_LOG": "warn",
        })
        self.env.update(env or {})
        self.process = None

    def __enter__(self):
        self.token = self.create_token("backoffice", "bench")
        self.api = Api(self.url, self.token, timeout=60)
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        psql(self.admin_url, f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")

    def create_token(self, role, name):
        out = subprocess.run([BINARY, "token", "create", "--role", role, "--name", name],
                             env=self.env, check=True, capture_output=True, text=True)
        return out.stdout.strip().splitlines()[-1]

    def start(self):
        """Serves (again, after `stop`) with the current `env`; returns once ready."""
        self.process = subprocess.Popen([BINARY, "serve"], env=self.env)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/health/ready", timeout=1) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        raise RuntimeError("the server did not become ready")

    def pause(self):
        """Freezes the server's process (SIGSTOP) so that its background work takes nothing
        from a measure of another server on this machine."""
        if self.process:
            self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        if self.process:
            self.process.send_signal(signal.SIGCONT)

    def stop(self):
        self.resume()  # a frozen process would not act on SIGTERM
        if self.process:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None

    def call(self, method, path, body=None):
        try:
            return self.api.call(method, path, body, expect=range(200, 300))
        except AssertionError as refused:
            sys.exit(f"seeding failed: {refused}")


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * UNITS[unit]


def wrk(url, token=None, connections=32, seconds=8, threads=2, script=None):
    """One wrk run (with a Lua `script` when given); returns requests/s, p50, p99 (ms) and
    the error count."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    if script:
        command += ["-s", script]
    out = subprocess.run(command + [url], check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: .*", out)
    return {"rps": rps, "requests": requests, "p50Ms": p50, "p99Ms": p99,
            "non2xx": int(errors.group(1)) if errors else 0,
            "socketErrors": socket_errors.group(0) if socket_errors else None}


def lua(token, body):
    """A wrk script: `body` defines `request()` (and may define `response()`)."""
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(f'wrk.headers["Authorization"] = "Bearer {token}"\n')
    script.write('wrk.headers["Content-Type"] = "application/json"\n')
    script.write(body)
    script.close()
    return script.name


def lua_list(name, values):
    return f"local {name} = {{" + ",".join(f'"{v}"' for v in values) + "}\n"


def median_run(runs):
    """The run with the median requests/s of several."""
    return sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]


def write_result(name, result):
    path = f"bench-results/{name}.json"
    with open(path, "w") as f:
        json.dump(result, f, indent=2)
    print(f"\nwritten to {path}")
