"""API benchmark: the offer read (`GET /offer?offerId=`) of a 20-line cable offer against
`GET /health/ready` (one trivial database round trip through the same pool), and a
1,000-line offer against the 20-line one, all in one run on the same machine."""

import os
import sys
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from harness import BASE, Server, median_run, wrk, write_result  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = 32


def seed_offer(server, customer, cable, drum, cuts):
    """A cart of `cuts` cable cuts, each on its own drum (2 lines per cut), as an offer."""
    cart = server.call("POST", "/carts", {"customerId": customer, "source": "BACKOFFICE"})
    for start in range(0, cuts, 100):
        items = [{
            "productId": cable,
            "quantity": {"type": "CONTENT_QUANTITY", "value": str(100 + (i % 50))},
            "allowQuantitySplitting": False,
            "children": [{"productId": drum, "quantity": {"type": "UNIT", "value": "1"},
                          "removable": False}],
        } for i in range(start, min(cuts, start + 100))]
        server.call("POST", f"/carts/{cart['id']}/add-configurable-products",
                    {"configurableProducts": items})
    offer = server.call("POST", f"/carts/{cart['id']}/offer", {})
    assert len(offer["lines"]) == 2 * cuts, len(offer["lines"])
    return offer["id"]


def main():
    with Server("api", 18080) as server:
        customer, cable, drum = (str(uuid.uuid4()) for _ in range(3))
        server.call("PUT", f"/customers/{customer}", {"name": "Bench customer", "currency": "EUR"})
        server.call("PUT", f"/products/{drum}", {
            "sku": "DRUM-1000", "name": "Drum 1000", "kind": "DRUM", "unit": "pcs",
            "quantityType": "UNIT", "netPrice": "35.00", "purchasePrice": "20.00",
            "vatRate": "23", "currency": "EUR", "stock": "1000"})
        server.call("PUT", f"/products/{cable}", {
            "sku": "YDY-3x2.5", "name": "Cable YDY 3x2.5", "kind": "CABLE", "unit": "m",
            "quantityType": "CONTENT_QUANTITY", "netPrice": "4.20", "purchasePrice": "3.10",
            "vatRate": "23", "currency": "EUR", "stock": "100000",
            "drumOptions": [{"drumProductId": drum, "maxLength": "1000"}]})
        offer20 = seed_offer(server, customer, cable, drum, 10)
        offer1000 = seed_offer(server, customer, cable, drum, 500)

        targets = {
            "reference": (server.url + "/health/ready", None),
            "offer20": (server.url + BASE + f"/offer?offerId={offer20}", server.token),
            "offer1000": (server.url + BASE + f"/offer?offerId={offer1000}", server.token),
        }
        for url, token in targets.values():
            wrk(url, token, CONNECTIONS, 2)  # warm-up
        runs = {name: [] for name in targets}
        for _ in range(ROUNDS):
            for name, (url, token) in targets.items():
                runs[name].append(wrk(url, token, CONNECTIONS, SECONDS))

    results = {name: median_run(r) for name, r in runs.items()}
    ref, o20, o1000 = results["reference"], results["offer20"], results["offer1000"]
    ratio = o20["rps"] / ref["rps"]
    size_ratio = o20["rps"] / o1000["rps"]
    print(f"\n{'target':<36} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    labels = {"reference": "GET /health/ready (reference)",
              "offer20": "GET /offer?offerId= (20 lines)",
              "offer1000": "GET /offer?offerId= (1,000 lines)"}
    for name, r in results.items():
        print(f"{labels[name]:<36} {r['rps']:>10.0f} {r['p50Ms']:>8.2f} {r['p99Ms']:>8.2f} {r['non2xx']:>8}")
    checks = {
        "offer20 req/s >= 50% of reference": ratio >= 0.5,
        "offer20 p99 < 20 ms": o20["p99Ms"] < 20,
        "offer1000 time < 10x offer20": size_ratio < 10,
        "no errors": all(r["non2xx"] == 0 for r in results.values()),
    }
    print(f"\noffer20 / reference req/s: {ratio:.2f} (target >= 0.50)")
    print(f"offer1000 / offer20 time per request: {size_ratio:.2f}x (target < 10x)")
    for check, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {check}")
    write_result("api", {
        "connections": CONNECTIONS, "secondsPerRun": SECONDS, "rounds": ROUNDS,
        "results": results,
        "ratios": {"offer20VsReferenceRps": round(ratio, 3),
                   "offer1000VsOffer20Time": round(size_ratio, 3)},
        "checks": checks,
    })
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
