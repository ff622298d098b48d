"""Fixtures of the browser tests: one real service per session, Debian's Chromium driven by
Playwright, and for every test a page that fails the test on a console error, an uncaught
exception or a failed request, is checked with axe-core, and leaves a screenshot of its final
state under target/browser-screenshots/."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from orderpath import SCREENSHOTS, Service, TARGET

CHROMIUM = os.environ.get("ORDERPATH_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
EVENT_TYPES = ["CART_OPENED", "CLIENT_LOGGED", "OFFER_OPENED", "ORDER_PLACED", "SHIPMENT_READY"]

expect.set_options(timeout=10_000)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "expected_http_errors(*statuses): responses with these statuses are intended"
    )


@pytest.fixture(scope="session")
def service():
    logs = TARGET / "browser-logs"
    logs.mkdir(parents=True, exist_ok=True)
    running = Service(logs).start()
    for event in EVENT_TYPES:
        running.api.webhook(running.inbox_url + "/hooks", event)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def api(service):
    return service.api


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        yield launched
        launched.close()


class Watch:
    """What went wrong in a page: console errors, uncaught exceptions, failed requests."""

    def __init__(self, page, allowed_statuses):
        self.problems = []
        self.allowed = set(allowed_statuses)
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))
        page.on("requestfailed", self.failed)
        page.on("response", self.response)

    def console(self, message):
        # A refused request is logged by the browser too; `response` judges it.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console: {message.text}")

    def failed(self, request):
        self.problems.append(f"request failed: {request.method} {request.url} {request.failure}")

    def response(self, response):
        if response.status >= 400 and response.status not in self.allowed:
            self.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")


def axe_violations(page):
    """Serious or critical accessibility violations of the page as it is now."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run()).violations")
    return [v for v in found if v["impact"] in ("serious", "critical")]


def describe(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
    )


def new_context(browser, service):
    # The pages' Content-Security-Policy would refuse the injected axe-core script.
    return browser.new_context(base_url=service.url, bypass_csp=True, viewport={"width": 1280, "height": 900})


@pytest.fixture
def context(browser, service):
    opened = new_context(browser, service)
    yield opened
    opened.close()


def watched_page(context, request, suffix=""):
    """A page of `context` that fails the test on a problem, then is checked with axe-core
    and saved as a screenshot named after the test (and `suffix`)."""
    marker = request.node.get_closest_marker("expected_http_errors")
    opened = context.new_page()
    watch = Watch(opened, marker.args if marker else ())
    yield opened
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name) + suffix
    opened.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    violations = axe_violations(opened) if opened.url.startswith("http") else []
    assert not watch.problems, "\n".join(watch.problems)
    assert not violations, describe(violations)


@pytest.fixture
def page(context, request):
    yield from watched_page(context, request)


@pytest.fixture
def inbox(context, service):
    """The sample receiver's page, open in its own tab, as a person watching events."""
    opened = context.new_page()
    opened.goto(service.inbox_url + "/")
    return opened


@pytest.fixture
def staff_page(browser, service, request):
    """A second person's page in a browser context of its own (its own session storage), for
    flows where staff and a customer act in turn; watched and saved like `page`, its
    screenshot named `<test>-staff.png`."""
    opened = new_context(browser, service)
    yield from watched_page(opened, request, "-staff")
    opened.close()
