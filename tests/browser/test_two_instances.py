"""Two instances on one database behind nginx (docs/operations.md, Several instances): a
mixed workload through the load balancer gives no wrong answer, no double reservation and
no double send, and a read on one instance never serves what the other has since changed.
No browser here: the clients are threads speaking HTTP, as integrations do."""

import shutil
import subprocess
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest

from orderpath import TARGET, Api, Service, free_port, wait_until_up

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CLIENTS = 8
ORDERS_PER_CLIENT = 3
STOCK = 50
PER_ORDER = 3


def nginx_config(folder, port, upstreams):
    servers = "".join(f"    server {u};\n" for u in upstreams)
    temp = "".join(
        f"  {kind}_temp_path {folder}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""worker_processes 1;
error_log {folder}/error.log warn;
pid {folder}/nginx.pid;
events {{ worker_connections 256; }}
http {{
  access_log {folder}/access.log;
{temp}  upstream orderpath {{
{servers}    keepalive 16;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://orderpath;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }}
  }}
}}
"""


@pytest.fixture(scope="module")
def instances():
    """Instance A (with the inbox) and instance B on one database, and nginx in front."""
    if not shutil.which("nginx") and not shutil.which(NGINX):
        pytest.fail("nginx is missing: scripts/browser-test installs it")
    logs = TARGET / "browser-logs" / "two-instances"
    logs.mkdir(parents=True, exist_ok=True)
    service = Service(logs).start()
    port_b = free_port()
    service.spawn("server-b", ["serve"], ORDERPATH_BIND=f"127.0.0.1:{port_b}")
    url_b = f"http://127.0.0.1:{port_b}"
    wait_until_up(url_b + "/health/ready", service.processes[-1])

    balancer_port = free_port()
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (logs / kind).mkdir(exist_ok=True)
    config = logs / "nginx.conf"
    upstreams = [service.url.removeprefix("http://"), url_b.removeprefix("http://")]
    config.write_text(nginx_config(logs, balancer_port, upstreams))
    nginx = subprocess.Popen(
        [NGINX, "-p", str(logs), "-c", str(config), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=open(logs / "nginx.out", "w"),
    )
    balancer = f"http://127.0.0.1:{balancer_port}"
    wait_until_up(balancer + "/health/ready", nginx)
    yield {
        "service": service,
        "a": service.api,
        "b": Api(url_b, service.api.token),
        "balanced": Api(balancer, service.api.token),
    }
    nginx.terminate()
    nginx.wait(timeout=10)
    service.stop()


def requests_answered(url):
    with urllib.request.urlopen(url + "/metrics", timeout=5) as answer:
        text = answer.read().decode()
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("orderpath_http_requests_total")
    )


def shipped_quantity(orders, status):
    """The quantity the orders' shipments in `status` hold."""
    return sum(
        Decimal(line["quantity"])
        for order in orders
        for shipment in order["shipments"]
        if shipment["status"] == status
        for line in shipment["lines"]
    )


def test_orders_through_both_instances_never_reserve_more_than_the_stock(instances):
    balanced = instances["balanced"]
    product = balanced.product(stock=str(STOCK))
    customers = [balanced.customer(f"Buyer {i}") for i in range(CLIENTS)]
    before = [requests_answered(instances[k].url) for k in ("a", "b")]

    def client(customer):
        placed = []
        for _ in range(ORDERS_PER_CLIENT):
            cart = balanced.cart(customer)
            balanced.call(
                "POST",
                f"/carts/{cart['id']}/products",
                {"productId": product, "quantity": {"type": "UNIT", "value": str(PER_ORDER)}},
            )
            placed.append(balanced.call("POST", f"/carts/{cart['id']}/order", {}))
        return placed

    with ThreadPoolExecutor(CLIENTS) as pool:
        orders = [order for batch in pool.map(client, customers) for order in batch]

    ready = shipped_quantity(orders, "READY")
    waiting = shipped_quantity(orders, "WAITING_FOR_STOCK")
    demand = CLIENTS * ORDERS_PER_CLIENT * PER_ORDER
    assert ready + waiting == demand
    # Lines may be split: the stock is reserved to the last piece, and not one more.
    assert ready == min(STOCK, demand)
    for api in (instances["a"], instances["b"]):
        stocked = api.call("GET", f"/products/{product}")
        assert Decimal(stocked["reserved"]) == ready
        assert Decimal(stocked["free"]) == STOCK - ready
    after = [requests_answered(instances[k].url) for k in ("a", "b")]
    assert all(a - b > 20 for a, b in zip(after, before)), "both instances served the load"


def test_a_read_on_one_instance_never_serves_what_the_other_changed(instances):
    a, b = instances["a"], instances["b"]
    customer = a.customer("Reader")
    product = a.product(netPrice="10.00")
    cart = a.cart(customer)
    a.call(
        "POST",
        f"/carts/{cart['id']}/products",
        {"productId": product, "quantity": {"type": "UNIT", "value": "1"}},
    )
    offer = a.call("POST", f"/carts/{cart['id']}/offer", {})
    line = offer["lines"][0]["id"]
    for turn in range(20):
        # Both instances have the current version rendered and cached.
        for api in (a, b):
            api.call("GET", f"/offer?offerId={offer['id']}")
        writer, reader = (a, b) if turn % 2 == 0 else (b, a)
        price = f"{20 + turn}.00"
        edited = writer.call(
            "PUT", f"/offers/{offer['id']}/lines/{line}/price", {"unitPrice": price}
        )
        read = reader.call("GET", f"/offer?offerId={offer['id']}")
        assert read["version"] == edited["version"], f"round {turn}: a stale version"
        assert Decimal(read["lines"][0]["unitPrice"]) == Decimal(price)


def test_each_event_is_sent_once_although_both_instances_deliver(instances):
    service, balanced = instances["service"], instances["balanced"]
    balanced.webhook(service.inbox_url + "/hooks", "CART_OPENED", name="inbox, two instances")
    customer = balanced.customer("Deliveries")
    with ThreadPoolExecutor(CLIENTS) as pool:
        carts = set(pool.map(lambda _: balanced.cart(customer)["id"], range(40)))

    def received():
        found = [
            event
            for event in service.inbox_events()
            if event["body"].get("data", {}).get("cartId") in carts
        ]
        return found

    deadline = time.monotonic() + 30
    while len(received()) < len(carts) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)  # a duplicate would arrive about now
    found = received()
    ids = [dict(event["headers"])["webhook-id"] for event in found]
    assert sorted({e["body"]["data"]["cartId"] for e in found}) == sorted(carts)
    assert len(ids) == len(set(ids)) == len(carts), "an event was sent twice"

