"""The first load's budgets (docs/pages.md, Budgets): each app's sign-in screen, on an empty
cache, transfers under 250 KB (its files compressed), and is usable in under a second. The bytes are asserted (they
do not depend on the machine); the time is measured by the page (Performance API) and
printed, never asserted: run with `-s` to read it."""

import urllib.request

import pytest
from playwright.sync_api import expect

from orderpath import BASE

BUDGET_BYTES = 250 * 1024


@pytest.mark.parametrize("app", ["backoffice", "store"])
def test_the_first_load_of_the_sign_in_screen_is_small_and_quick(page, app):
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    # Each test has a browser context of its own: the cache is empty.
    page.goto(f"/{app}/")
    expect(page.get_by_label("Email")).to_be_focused()
    page.wait_for_load_state("networkidle")

    # What went over the wire: bodies as sent (compressed when they were) and headers.
    bodies = headers = 0
    for request in finished:
        sizes = request.sizes()
        bodies += sizes["responseBodySize"]
        headers += sizes["responseHeadersSize"]
    # The bodies once decoded, as a cross-check that every response was counted.
    decoded = sum(len(request.response().body()) for request in finished)
    timing = page.evaluate("""() => {
        const ready = performance.getEntriesByName('orderpath:sign-in-ready')[0];
        const nav = performance.getEntriesByType('navigation')[0];
        return {ready: ready && ready.startTime, dom: nav.domContentLoadedEventEnd, load: nav.loadEventEnd};
    }""")
    print(f"\n{app} first load: {len(finished)} responses, {bodies + headers} bytes transferred "
          f"({bodies} body + {headers} headers; {decoded} bytes decoded); sign-in form usable "
          f"{timing['ready']:.0f} ms after navigation start (DOMContentLoaded {timing['dom']:.0f} ms, "
          f"load {timing['load']:.0f} ms)")
    assert all(request.url.startswith(page.url.split(f"/{app}/")[0]) for request in finished)
    assert timing["ready"] is not None
    assert decoded > 10_000  # the app's scripts and styles, not just an empty page
    # The pages' files travel compressed (brotli, gzip or zstd, as the browser accepts).
    scripts = [r for r in finished if r.url.endswith(".js")]
    assert scripts and all(r.response().header_value("content-encoding") for r in scripts)
    assert bodies < decoded
    assert bodies + headers < BUDGET_BYTES, f"{bodies + headers} bytes over the {BUDGET_BYTES} budget"


def test_api_answers_are_not_compressed(service):
    """Only the pages are compressed: an integration reading the API gets it as before."""
    request = urllib.request.Request(service.url + BASE + "/products?limit=1")
    request.add_header("Authorization", f"Bearer {service.api.token}")
    request.add_header("Accept-Encoding", "gzip, br")
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.headers.get("Content-Encoding") is None
        assert answer.read().startswith(b"{")
