"""The service under test: a fresh database, the real `orderpath` binary serving it, the
sample webhook receiver (`orderpath inbox`), and a small API client to set up data the way
an integration would. Nothing here is mocked."""

import json
import os
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
BINARY = TARGET / "debug" / "orderpath"
SCREENSHOTS = TARGET / "browser-screenshots"
BASE = "/api/v1/orderpath/integrations/auth-required"
ADMIN_URL = os.environ.get(
    "ORDERPATH_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
INBOX_USER, INBOX_PASSWORD = "inbox", "inbox-password"
PASSWORD = "correct horse battery"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(name):
    parts = urlsplit(ADMIN_URL)
    return urlunsplit(parts._replace(path="/" + name))


def psql(sql):
    subprocess.run(["psql", ADMIN_URL, "-qtAc", sql], check=True, capture_output=True)


def wait_until_up(url, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up in {seconds} s")


class Service:
    """One orderpath instance on its own database, and one inbox, for a test session."""

    def __init__(self, logs):
        run = os.environ.get("ORDERPATH_TEST_RUN") or "browser" + secrets.token_hex(3)
        self.database = f"orderpath_test_{run}_{int(time.time())}_{secrets.token_hex(4)}"
        self.env = dict(
            os.environ,
            DATABASE_URL=database_url(self.database),
            ORDERPATH_WEBHOOK_ALLOW_PRIVATE="true",
            ORDERPATH_WEBHOOK_RETRY_SCHEDULE="1,1,1",
            RUST_LOG="warn",
        )
        self.logs = logs
        self.processes = []

    def start(self):
        if not BINARY.exists():
            raise RuntimeError(f"{BINARY} is missing: build it with `cargo build --bin orderpath`")
        psql(f'CREATE DATABASE "{self.database}"')
        self.command("migrate")
        port, inbox_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.inbox_url = f"http://127.0.0.1:{inbox_port}"
        self.spawn("server", ["serve"], ORDERPATH_BIND=f"127.0.0.1:{port}")
        self.spawn(
            "inbox",
            ["inbox", "--listen", f"127.0.0.1:{inbox_port}",
             "--username", INBOX_USER, "--password", INBOX_PASSWORD],
        )
        wait_until_up(self.url + "/health/ready", self.processes[0])
        wait_until_up(self.inbox_url + "/events", self.processes[1])
        token = self.command("token", "create", "--role", "backoffice", "--name", "Test setup")
        self.api = Api(self.url, token.strip().splitlines()[-1])
        return self

    def spawn(self, name, args, **env):
        log = open(self.logs / f"{name}.log", "w")
        process = subprocess.Popen(
            [str(BINARY), *args], env=dict(self.env, **env), stdout=log, stderr=log
        )
        self.processes.append(process)

    def command(self, *args, stdin=None):
        done = subprocess.run(
            [str(BINARY), *args], env=self.env, input=stdin, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"orderpath {' '.join(args)}: {done.stderr}")
        return done.stdout

    def user(self, role, customer=None, name=None):
        """A new person who signs in with `email` and `PASSWORD`."""
        email = f"{role}-{secrets.token_hex(4)}@example.com"
        args = ["user", "create", "--email", email, "--name", name or f"Test {role}", "--role", role]
        if customer:
            args += ["--customer", str(customer)]
        self.command(*args, stdin=PASSWORD + "\n")
        return email

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        psql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def inbox_events(self):
        with urllib.request.urlopen(self.inbox_url + "/events", timeout=5) as answer:
            return json.load(answer)


class Api:
    """The API as an integration with a backoffice token sees it, for setting up data."""

    def __init__(self, url, token, timeout=30):
        self.url = url
        self.token = token
        self.timeout = timeout

    def call(self, method, path, body=None, expect=(200, 201, 204)):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + BASE + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                status, text = answer.status, answer.read().decode()
        except urllib.error.HTTPError as refused:
            status, text = refused.code, refused.read().decode()
        if status not in expect:
            raise AssertionError(f"{method} {path}: {status} {text}")
        return json.loads(text) if text else None

    def customer(self, name="ACME Sp. z o.o.", **fields):
        customer_id = str(uuid.uuid4())
        self.call("PUT", f"/customers/{customer_id}", {"name": name, "currency": "EUR", **fields})
        return customer_id

    def product(self, **fields):
        product_id = str(uuid.uuid4())
        body = {"sku": f"SKU-{product_id[:8]}", "name": "Widget", "kind": "STANDARD",
                "unit": "pcs", "quantityType": "UNIT", "netPrice": "10.00",
                "purchasePrice": "6.00", "vatRate": "23", "currency": "EUR", "stock": "100"}
        body.update(fields)
        self.call("PUT", f"/products/{product_id}", body)
        return product_id

    def cable_with_drums(self, stock="5000", name="YKY 3x2.5 cable"):
        """A cable sold by the metre on two drum sizes (200 m and 500 m)."""
        small = self.product(kind="DRUM", name="Drum 200 m", netPrice="12.00", purchasePrice="8")
        big = self.product(kind="DRUM", name="Drum 500 m", netPrice="30.00", purchasePrice="20")
        cable = self.product(
            kind="CABLE", name=name, unit="m", quantityType="CONTENT_QUANTITY",
            netPrice="4.20", purchasePrice="3.10", stock=stock,
            drumOptions=[{"drumProductId": small, "maxLength": "200"},
                         {"drumProductId": big, "maxLength": "500"}],
        )
        return {"cable": cable, "small_drum": small, "big_drum": big}

    def cart(self, customer_id, source="BACKOFFICE"):
        return self.call("POST", "/carts", {"customerId": customer_id, "source": source})

    def webhook(self, url, event, name=None):
        return self.call("POST", "/webhooks", {
            "name": name or f"inbox {event}", "status": "ACTIVE", "event": event, "url": url,
            "authType": "HTTP_BASIC", "username": INBOX_USER, "password": INBOX_PASSWORD,
        })

    def offer_of(self, customer_id, product_id, quantity, status=None):
        """An offer made from a new cart holding `quantity` of one product; sent when
        `status="SENT"`."""
        cart = self.cart(customer_id)
        self.call("POST", f"/carts/{cart['id']}/products",
                  {"productId": product_id, "quantity": {"type": "UNIT", "value": quantity}})
        offer = self.call("POST", f"/carts/{cart['id']}/offer", {})
        if status:
            offer = self.call("PATCH", f"/offers/{offer['id']}", {"status": status})
        return offer
