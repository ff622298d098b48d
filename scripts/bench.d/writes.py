"""Write benchmark: what users pay for the write path, each as a ratio to
`GET /health/ready` measured in the same run (docs/benchmarks.md, Writes).

- `POST /carts`, 200 customers in turn;
- `POST /carts/{id}/products`, every add a new line: carts filled from empty to 50 lines,
  100 at a time, a line each per pass, fresh carts for each run (`add_line_script`), so
  the carts' size does not depend on how many adds the machine makes;
- `GET /carts/{id}` of a 50-line cart, read again and again (warm), and 50-line carts each
  read once, the first read after their last change (cold): on the instance that made the
  change, and again on a restarted one, which holds nothing (after reads of other carts:
  a running instance's first request after starting is long past);
- `GET /orders/{id}` of a 50-line order, and for comparison `GET /offers/{id}` of a 50-line
  offer (both unchanged, read again and again);
- `PUT /carts/{id}/lines/{lineId}/price`, alternating two prices on 200 lines;
- order placement from prepared one-line carts, 1 connection against 16, each on its own
  products (the parallelism ratio): through wrk for `BENCH_ORDER_SECONDS`, and as a count
  of carts ordered by Python threads, printed beside it (`order_script`).
"""

import http.client
import os
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from harness import (  # noqa: E402
    BASE, Server, lua, lua_list, median_run, psql_rows, wrk, write_result)

SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = 16
ORDER_CLIENTS = 16
ORDERS_PER_CLIENT = int(os.environ.get("BENCH_ORDERS_PER_CLIENT", "60"))
# wrk's order runs: their length, and carts enough for them (a run that runs out fails).
ORDER_SECONDS = int(os.environ.get("BENCH_ORDER_SECONDS", "2"))
ORDER_CARTS_ALONE = int(os.environ.get("BENCH_ORDER_CARTS_ALONE", "3000"))
ORDER_CARTS_PER_CONNECTION = int(os.environ.get("BENCH_ORDER_CARTS_PER_CONNECTION", "375"))
# Carts each wrk thread fills in one run of adds, 50 lines each: room for 75,000 adds.
ADD_CARTS = int(os.environ.get("BENCH_ADD_CARTS", "1500"))
LINES_PER_CART = 50
# Reads of other carts a restarted server serves before its cold reads are measured.
RUNNING_READS = 20
ADD_BATCH = 100


def product_body(sku, stock="100000"):
    return {"sku": sku, "name": f"Bench {sku}", "kind": "STANDARD", "unit": "pcs",
            "quantityType": "UNIT", "netPrice": "10.00", "purchasePrice": "6.00",
            "vatRate": "23", "currency": "EUR", "stock": stock}


def add_line(server, cart, product, quantity="1"):
    return server.call("POST", f"/carts/{cart}/products",
                       {"productId": product, "quantity": {"type": "UNIT", "value": quantity}})


def seed(server):
    customers = [str(uuid.uuid4()) for _ in range(200)]
    for i, customer in enumerate(customers):
        server.call("PUT", f"/customers/{customer}", {"name": f"Bench {i}", "currency": "EUR"})
    products = [str(uuid.uuid4()) for _ in range(100)]
    for i, product in enumerate(products):
        server.call("PUT", f"/products/{product}", product_body(f"BW-{i:04d}"))
    carts = [server.call("POST", "/carts", {"customerId": c, "source": "BACKOFFICE"})["id"]
             for c in customers]
    # One 50-line cart read warm; cold carts, 50 lines each, never read yet.
    warm = server.call("POST", "/carts", {"customerId": customers[0], "source": "BACKOFFICE"})["id"]
    for product in products[:50]:
        add_line(server, warm, product)
    cold = []
    for i in range(int(os.environ.get("BENCH_COLD_CARTS", "150"))):
        cart = server.call("POST", "/carts", {"customerId": customers[i % 200],
                                              "source": "BACKOFFICE"})["id"]
        for product in products[:50]:
            add_line(server, cart, product)
        cold.append(cart)
    priced = []
    for cart in carts:
        line = add_line(server, cart, products[0])["lines"][0]["id"]
        priced.append(f"{cart}/lines/{line}")
    # A 50-line offer and a 50-line order (its own cart each), read unchanged.
    documents = []
    for made in ("offer", "order"):
        cart = server.call("POST", "/carts", {"customerId": customers[1],
                                              "source": "BACKOFFICE"})["id"]
        for product in products[:50]:
            add_line(server, cart, product)
        documents.append(server.call("POST", f"/carts/{cart}/{made}", {})["id"])
    return customers, products, carts, warm, cold, priced, documents


def add_line_script(token, carts, products):
    """wrk's adds for one run: each of its two threads fills its half of `carts`, 100
    carts at a time, one line per cart per pass, until they hold 50 lines, then the next
    100. Concurrent adds thus go to different carts, and each adds a product the cart
    does not hold yet."""
    return lua(token, lua_list("carts", carts) + lua_list("products", products) + f"""
local threads = 0
function setup(thread)
  thread:set("half", threads)
  threads = threads + 1
end
local n = -1
local per_thread, batch, lines = {len(carts) // 2}, {ADD_BATCH}, {LINES_PER_CART}
request = function()
  n = n + 1
  local within = n % (batch * lines)
  local first = math.floor(n / (batch * lines)) * batch
  local cart = half * per_thread + (first + within % batch) % per_thread + 1
  local product = math.floor(within / batch) + 1
  return wrk.format("POST", "{BASE}/carts/" .. carts[cart] .. "/products", nil,
    '{{"productId":"' .. products[product] .. '","quantity":{{"type":"UNIT","value":"1"}}}}')
end
""")


def lines_added(server, carts):
    """Lines the adds made in `carts`, and the most one of them holds."""
    listed = ",".join(carts)
    [[total, most]] = psql_rows(server.env["DATABASE_URL"], (
        "SELECT coalesce(sum(n), 0), coalesce(max(n), 0) FROM (SELECT count(*) AS n "
        f"FROM cart_lines WHERE cart_id = ANY('{{{listed}}}'::uuid[]) GROUP BY cart_id) c"))
    return int(total), int(most)


def order_carts(server, customer, clients, per_client):
    """`clients` lists of one-line carts, each list on products of its own."""
    lists = []
    for c in range(clients):
        products = []
        for p in range(4):
            product = str(uuid.uuid4())
            server.call("PUT", f"/products/{product}",
                        product_body(f"BO-{c:02d}-{p}-{product[:8]}", stock="1000000"))
            products.append(product)
        carts = []
        for i in range(per_client):
            cart = server.call("POST", "/carts", {"customerId": customer,
                                                  "source": "BACKOFFICE"})["id"]
            add_line(server, cart, products[i % 4], "2")
            carts.append(cart)
        lists.append(carts)
    return lists


def timed_gets(server, paths, base=BASE):
    """Mean milliseconds of GETs sent one after another on one kept-alive connection."""
    host, port = server.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    headers = {"Authorization": f"Bearer {server.token}"}
    started = time.perf_counter()
    for path in paths:
        conn.request("GET", base + path, headers=headers)
        answer = conn.getresponse()
        answer.read()
        if answer.status != 200:
            sys.exit(f"GET {path}: {answer.status}")
    conn.close()
    return (time.perf_counter() - started) * 1000 / len(paths)


def order_script(token, lists):
    """wrk's order placements: each of wrk's threads orders from its own half of `lists`
    (one list of carts per connection, each list on products of its own), taking the
    lists' carts in turn, so that the requests a thread has in flight are on different
    products, as the clients of `place_orders` are. Past the last cart it orders the last
    again, which answers 409 and fails the run."""
    half = len(lists) // 2 or 1
    turns = [[cart for group in zip(*part) for cart in group]
             for part in (lists[:half], lists[half:] or lists[:half])]
    return lua(token, lua_list("first", turns[0]) + lua_list("second", turns[1]) + f"""
local threads = 0
function setup(thread)
  thread:set("which", threads)
  threads = threads + 1
end
local i = 0
request = function()
  local carts = (which == 0) and first or second
  i = math.min(i + 1, #carts)
  return wrk.format("POST", "{BASE}/carts/" .. carts[i] .. "/order", nil, "{{}}")
end
""")


def place_orders(server, lists):
    """Places every cart's order, one thread per list on a kept-alive connection; answers
    orders per second."""
    errors = []

    def client(carts):
        host, port = server.url.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        headers = {"Authorization": f"Bearer {server.token}",
                   "Content-Type": "application/json"}
        for cart in carts:
            conn.request("POST", f"{BASE}/carts/{cart}/order", body="{}", headers=headers)
            answer = conn.getresponse()
            answer.read()
            if answer.status != 201:
                errors.append(answer.status)
        conn.close()

    threads = [threading.Thread(target=client, args=(carts,)) for carts in lists]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        sys.exit(f"order placement failed: {errors[:5]}")
    return sum(len(c) for c in lists) / elapsed


def main():
    with Server("writes", 18082) as server:
        customers, products, carts, warm, cold, priced, (offer, order) = seed(server)
        token = server.token
        api = server.url + BASE
        # Fresh empty carts for each run of adds (see `add_line_script`).
        add_carts = [[server.call("POST", "/carts", {"customerId": customers[i % 200],
                                                      "source": "BACKOFFICE"})["id"]
                      for i in range(2 * ADD_CARTS)] for _ in range(ROUNDS)]
        scripts = {
            "createCart": lua(token, lua_list("customers", customers) + f"""
local i = 0
request = function()
  i = i % #customers + 1
  return wrk.format("POST", "{BASE}/carts", nil,
    '{{"customerId":"' .. customers[i] .. '","source":"BACKOFFICE"}}')
end
"""),
            "priceEdit": lua(token, lua_list("lines", priced) + f"""
local i, n = 0, 0
request = function()
  i = i % #lines + 1
  n = n + 1
  local price = (n % 2 == 0) and "9.50" or "9.75"
  return wrk.format("PUT", "{BASE}/carts/" .. lines[i] .. "/price", nil,
    '{{"unitPrice":"' .. price .. '","reason":"bench"}}')
end
"""),
        }
        targets = {
            "reference": (server.url + "/health/ready", None, None),
            "createCart": (api, None, scripts["createCart"]),
            "addLine": (api, None, [add_line_script(token, c, products[:LINES_PER_CART])
                                    for c in add_carts]),
            "readCart50": (api + f"/carts/{warm}", token, None),
            "readOffer50": (api + f"/offers/{offer}", token, None),
            "readOrder50": (api + f"/orders/{order}", token, None),
            "priceEdit": (api, None, scripts["priceEdit"]),
        }
        # One client, one request at a time: the reference, the warm cart read, and each
        # cold cart read once, the first read since its last change (made on this instance,
        # which kept the change's answer rendered). Before the runs below, whose adds fill
        # thousands of carts and would push the cold carts' renderings out of memory.
        single = {
            "reference": timed_gets(server, ["/health/ready"] * len(cold), base=""),
            "warm": timed_gets(server, [f"/carts/{warm}"] * len(cold)),
            "cold": timed_gets(server, [f"/carts/{cart}" for cart in cold]),
        }
        # The same first reads on an instance that did not make the change: restarted, it
        # holds nothing, as another instance behind a load balancer would. Such an
        # instance has served other requests before: its first one after starting (a
        # thread, the token looked up, the statement prepared on its connection: 3 to 10
        # ms) is paid here on other carts, not counted as a cold read of these.
        server.stop()
        server.start()
        timed_gets(server, [f"/carts/{cart}" for cart in carts[:RUNNING_READS]])
        single["coldElsewhere"] = timed_gets(server, [f"/carts/{cart}" for cart in cold])

        wrk(server.url + "/health/ready", None, CONNECTIONS, 2)
        runs = {name: [] for name in targets}
        for round_ in range(ROUNDS):
            for name, (url, bearer, script) in targets.items():
                script = script[round_] if isinstance(script, list) else script
                runs[name].append(wrk(url, bearer, CONNECTIONS, SECONDS, script=script))
        # Every add a new line: as many lines as adds answered (and at most one in flight
        # per connection when a run ended), no cart past 50.
        for run, carts_of_run in zip(runs["addLine"], add_carts):
            run["linesAdded"], run["mostLines"] = lines_added(server, carts_of_run)
        order_customer = customers[0]
        alone = order_carts(server, order_customer, 1, ORDERS_PER_CLIENT * 2)
        parallel = order_carts(server, order_customer, ORDER_CLIENTS, ORDERS_PER_CLIENT)
        one_client = place_orders(server, alone)
        many_clients = place_orders(server, parallel)
        wrk_alone = order_carts(server, order_customer, 1, ORDER_CARTS_ALONE)
        wrk_parallel = order_carts(server, order_customer, ORDER_CLIENTS,
                                   ORDER_CARTS_PER_CONNECTION)
        orders_one = wrk(api, None, 1, ORDER_SECONDS, threads=1,
                         script=order_script(token, wrk_alone))
        orders_many = wrk(api, None, ORDER_CLIENTS, ORDER_SECONDS, threads=2,
                          script=order_script(token, wrk_parallel))

    results = {name: median_run(r) for name, r in runs.items()}
    ref = results["reference"]["rps"]
    ratios = {name: round(r["rps"] / ref, 3) for name, r in results.items() if name != "reference"}
    print(f"\n{'target':<44} {'req/s':>9} {'ratio':>6} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    labels = {
        "reference": "GET /health/ready (reference)",
        "createCart": "POST /carts",
        "addLine": "POST /carts/{id}/products (new line)",
        "readCart50": "GET /carts/{id} (50 lines, warm)",
        "readOffer50": "GET /offers/{id} (50 lines)",
        "readOrder50": "GET /orders/{id} (50 lines)",
        "priceEdit": "PUT /carts/{id}/lines/{lineId}/price",
    }
    for name, r in results.items():
        ratio = r["rps"] / ref
        print(f"{labels[name]:<44} {r['rps']:>9.0f} {ratio:>6.2f} {r['p50Ms']:>8.2f} "
              f"{r['p99Ms']:>8.2f} {r['non2xx']:>8}")
    print(f"\none client, one request at a time (mean ms): reference "
          f"{single['reference']:.2f}, 50-line cart warm {single['warm']:.2f}, "
          f"cold {single['cold']:.2f}")
    print(f"  cold on an instance that did not make the change {single['coldElsewhere']:.2f}")
    added = results["addLine"]
    print(f"adds: {added['requests']} answered, {added['linesAdded']} lines added, "
          f"carts of 0 to {added['mostLines']} lines")
    cold_vs_reference = single["reference"] / single["cold"]
    cold_vs_warm = single["cold"] / single["warm"]
    elsewhere_vs_reference = single["reference"] / single["coldElsewhere"]
    elsewhere_vs_warm = single["coldElsewhere"] / single["warm"]
    print(f"cold read: {cold_vs_reference:.2f} of the reference, {cold_vs_warm:.2f}x a warm read")
    print(f"cold read on another instance: {elsewhere_vs_reference:.2f} of the reference, "
          f"{elsewhere_vs_warm:.2f}x a warm read")
    parallelism = orders_many["rps"] / orders_one["rps"]
    print(f"order placement (wrk, {ORDER_SECONDS} s): 1 connection {orders_one['rps']:.0f}/s "
          f"(p50 {orders_one['p50Ms']:.2f} ms), {ORDER_CLIENTS} on disjoint products "
          f"{orders_many['rps']:.0f}/s (p50 {orders_many['p50Ms']:.2f} ms): {parallelism:.2f}x")
    print(f"  the same from Python threads: 1 client {one_client:.0f}/s, {ORDER_CLIENTS} "
          f"{many_clients:.0f}/s: {many_clients / one_client:.2f}x")
    targets_met = {
        "cart read >= 0.6 of reference": ratios["readCart50"] >= 0.6,
        "POST /carts >= 0.35 of reference": ratios["createCart"] >= 0.35,
        "adding a line >= 0.25 of reference": ratios["addLine"] >= 0.25,
        "cold cart read >= 0.3 of reference": cold_vs_reference >= 0.3,
        "cold read <= 2x a warm one": cold_vs_warm <= 2,
        "cold read on another instance >= 0.3 of reference": elsewhere_vs_reference >= 0.3,
        "cold read on another instance <= 2x a warm one": elsewhere_vs_warm <= 2,
        "order read >= 0.9x the offer read": results["readOrder50"]["rps"]
        >= 0.9 * results["readOffer50"]["rps"],
        "16 clients >= 1.8x one client": parallelism >= 1.8,
        "every order placed (no run out of carts)":
            orders_one["non2xx"] == 0 and orders_many["non2xx"] == 0,
        "every add a new line, no cart past 50": all(
            0 <= r["linesAdded"] - r["requests"] <= CONNECTIONS
            and r["mostLines"] <= LINES_PER_CART for r in runs["addLine"]),
        "no errors": all(r["non2xx"] == 0 for r in results.values()),
    }
    for check, ok in targets_met.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {check}")
    write_result("writes", {
        "connections": CONNECTIONS, "secondsPerRun": SECONDS, "rounds": ROUNDS,
        "results": results, "ratios": ratios, "oneAtATimeMeanMs": single,
        "coldVsReference": round(cold_vs_reference, 3), "coldVsWarm": round(cold_vs_warm, 3),
        "coldElsewhereVsReference": round(elsewhere_vs_reference, 3),
        "coldElsewhereVsWarm": round(elsewhere_vs_warm, 3),
        "orders": {"oneConnection": orders_one, "manyConnections": orders_many,
                   "connections": ORDER_CLIENTS, "parallelism": round(parallelism, 3),
                   "pythonOneClientPerSecond": round(one_client, 1),
                   "pythonManyClientsPerSecond": round(many_clients, 1)},
        "checks": targets_met,
    })
    return 0 if all(targets_met.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
