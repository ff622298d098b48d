"""Configuration → Webhooks: an endpoint tested before it is created, its deliveries and a
retry; changing one without retyping its password, and deleting one."""

import re
import time

import pytest

from playwright.sync_api import expect

from helpers import inbox_event, sign_in
from orderpath import INBOX_PASSWORD, INBOX_USER

SAMPLE_CART = "00000000-0000-0000-0000-000000000002"


def open_webhooks(page, service, name):
    sign_in(page, "/backoffice/", service.user("backoffice", name=name))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Configuration").click()
    page.get_by_role("navigation", name="Configuration").get_by_role("link", name="Webhooks").click()
    expect(page.get_by_role("heading", name="Webhooks")).to_be_visible()


def event_of_cart(api, cart_id, seconds=15):
    """The id of the CART_OPENED event recorded for `cart_id`. The feed shows an event once
    every older transaction has ended, so it may take a moment to appear."""
    deadline = time.monotonic() + seconds
    cursor = None
    while time.monotonic() < deadline:
        page = api.call("GET", "/events?type=CART_OPENED&limit=500" + (f"&cursor={cursor}" if cursor else ""))
        for event in page["items"]:
            if event["data"]["cartId"] == cart_id:
                return event["id"]
        cursor = page["nextCursor"]
        if not page["items"]:
            time.sleep(0.2)
    raise AssertionError(f"no CART_OPENED event for cart {cart_id} in the feed")


def test_a_webhook_is_tested_before_it_is_created_and_shows_its_deliveries(page, service, api, inbox):
    open_webhooks(page, service, "Wanda Webhooks")
    page.get_by_role("link", name="New webhook").click()

    page.get_by_label("Status", exact=True).select_option("ACTIVE")
    page.get_by_label("Name", exact=True).fill("ERP carts")
    page.get_by_label("Calling event").select_option("CART_OPENED")
    page.get_by_label("URL").fill(service.inbox_url + "/hooks")
    page.get_by_label("Authentication").select_option("HTTP_BASIC")
    page.get_by_label("Username").fill(INBOX_USER)
    page.get_by_label("Password").fill(INBOX_PASSWORD)
    page.get_by_role("button", name="Submit test webhook").click()

    result = page.get_by_role("status").filter(has=page.get_by_role("heading", name="Test send"))
    expect(result).to_contain_text(re.compile(r"Delivered: the receiver answered HTTP 204 in \d+ ms"))
    inbox_event(inbox, "CART_OPENED", "TEST", SAMPLE_CART)

    page.get_by_role("button", name="Create webhook").click()
    expect(page.get_by_role("heading", name="Webhook ERP carts")).to_be_visible()
    page.get_by_role("link", name="Back to webhooks").click()
    listed = page.get_by_role("row").filter(has=page.get_by_role("link", name="ERP carts"))
    expect(listed).to_contain_text("CART_OPENED")
    expect(listed).to_contain_text(service.inbox_url + "/hooks")
    expect(listed).to_contain_text("ACTIVE")

    # The saved password is never shown; a test with a wrong one shows the receiver's 401.
    listed.get_by_role("link", name="ERP carts").click()
    expect(page.get_by_label("Password")).to_have_value("")
    page.get_by_label("Password").fill("not the inbox password")
    page.get_by_role("button", name="Submit test webhook").click()
    expect(result).to_contain_text(re.compile(r"Not delivered: the receiver answered HTTP 401 in \d+ ms"))
    expect(page.get_by_role("row").filter(has_text="CART_OPENED")).to_have_count(0)

    # A real event reaches the endpoint and is listed in its deliveries; a retry sends it again.
    cart = api.cart(api.customer("Webhook Watchers Ltd"))
    event_id = event_of_cart(api, cart["id"])
    page.get_by_role("button", name="Refresh").click()
    delivery = page.get_by_role("row").filter(has_text=event_id)
    expect(delivery).to_contain_text("SUCCEEDED")
    expect(delivery).to_contain_text("HTTP 204")
    inbox_event(inbox, "CART_OPENED", cart["id"])

    delivery.get_by_role("button", name=f"Retry delivery of event {event_id}").click()
    expect(delivery.get_by_role("cell").nth(3)).to_have_text("2")
    expect(delivery).to_contain_text("SUCCEEDED")
    expect(delivery.get_by_text("All attempts (2)")).to_be_visible()


@pytest.mark.expected_http_errors(422)
def test_a_webhook_is_changed_without_its_password_and_deleted_after_confirming(page, service, api):
    saved = api.webhook(service.inbox_url + "/hooks", "ORDER_PLACED", name="Warehouse orders")
    open_webhooks(page, service, "Walter Webhooks")
    page.get_by_role("link", name="Warehouse orders").click()

    # A refused change shows the server's detail, marks the field and changes nothing.
    page.get_by_label("URL").fill("ftp://warehouse.example.com/hooks")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("alert")).to_contain_text("url:")
    expect(page.get_by_label("URL")).to_have_attribute("aria-invalid", "true")
    assert api.call("GET", f"/webhooks/{saved['id']}")["url"] == service.inbox_url + "/hooks"
    page.get_by_label("URL").fill(service.inbox_url + "/hooks")

    page.get_by_label("Name", exact=True).fill("Warehouse orders (paused)")
    page.get_by_label("Status", exact=True).select_option("INACTIVE")
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page.get_by_label("Password")).to_have_accessible_description(re.compile("Leave this empty to keep it"))
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_label("URL")).not_to_have_attribute("aria-invalid", "true")

    # Without a typed password the test uses the saved one: it still works.
    page.get_by_role("button", name="Submit test webhook").click()
    expect(page.get_by_role("status")).to_contain_text("Delivered: the receiver answered HTTP 204")
    expect(page.get_by_role("status")).to_contain_text("Sent with the saved settings")
    stored = api.call("GET", f"/webhooks/{saved['id']}")
    assert (stored["name"], stored["status"], stored["passwordSet"]) == (
        "Warehouse orders (paused)", "INACTIVE", True)

    # Escape closes the confirmation and keeps the endpoint; Delete removes it.
    page.get_by_role("button", name="Delete webhook").click()
    dialog = page.get_by_role("dialog", name="Delete webhook?")
    expect(dialog).to_contain_text("its delivery log is deleted with it")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(page.get_by_role("button", name="Delete webhook")).to_be_focused()
    page.get_by_role("button", name="Delete webhook").click()
    dialog.get_by_role("button", name="Delete", exact=True).click()
    expect(page.get_by_role("heading", name="Webhooks")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Warehouse orders"))).to_have_count(0)
    api.call("GET", f"/webhooks/{saved['id']}", expect=(404,))
