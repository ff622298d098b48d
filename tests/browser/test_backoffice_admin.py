"""The backoffice's catalog, event feed and API tokens, each through the page."""

import json
import re
import secrets
import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from helpers import sign_in
from orderpath import BASE


def open_backoffice(page, service, name, area):
    sign_in(page, "/backoffice/", service.user("backoffice", name=name))
    page.get_by_role("navigation", name="Main").get_by_role("link", name=area).click()


def me_with(service, token):
    """GET /me with `token`: the status and the body."""
    request = urllib.request.Request(service.url + BASE + "/me")
    request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as refused:
        return refused.code, json.load(refused)


def test_the_catalog_shows_stock_reserved_and_free_and_finds_products(page, service, api):
    tag = secrets.token_hex(3)
    lamp = api.product(sku=f"LAMP-{tag}", name=f"Desk lamp {tag}", netPrice="49.90",
                       purchasePrice="31.25", stock="10")
    api.cable_with_drums(stock="750", name=f"Cable {tag} YKY 3x1.5")
    # An order of 4 lamps, ready to ship, reserves them: 10 on hand, 4 reserved, 6 free.
    cart = api.cart(api.customer("Lamp Buyers Ltd"))
    api.call("POST", f"/carts/{cart['id']}/products",
             {"productId": lamp, "quantity": {"type": "UNIT", "value": "4"}})
    api.call("POST", f"/carts/{cart['id']}/order", {})

    open_backoffice(page, service, "Cora Catalog", "Catalog")
    expect(page.get_by_role("heading", name="Catalog")).to_be_visible()
    page.get_by_label("Search products").fill(tag)
    page.get_by_role("button", name="Search").click()

    rows = page.get_by_role("table", name="Products").get_by_role("row")
    expect(rows).to_have_count(3)  # the header, the lamp and the cable (its drums are not named for the tag)

    page.get_by_label("Kind").select_option("CABLE")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text(f"Cable {tag} YKY 3x1.5")
    expect(rows.nth(1).get_by_role("cell").nth(5)).to_have_text("750 m")

    page.get_by_label("Kind").select_option("STANDARD")
    expect(rows).to_have_count(2)
    expect(rows.nth(1).get_by_role("cell")).to_have_text(
        [f"LAMP-{tag}", f"Desk lamp {tag}", "STANDARD", "49.90 EUR", "31.25 EUR",
         "10 pcs", "4 pcs", "6 pcs"])
    expect(page).to_have_url(re.compile(rf"#/catalog\?search={tag}&kind=STANDARD$"))


def test_the_event_feed_shows_the_event_of_a_new_cart(page, service, api):
    customer = api.customer("Feed Followers Ltd")
    open_backoffice(page, service, "Evan Events", "Events")
    page.get_by_label("Event type").select_option("CART_OPENED")
    expect(page.get_by_role("status")).to_contain_text("shown")

    cart = api.cart(customer)
    event = page.get_by_role("row").filter(has_text=cart["id"])
    # The feed is oldest first and shows an event once older transactions have ended: ask
    # again, as a person would, until it is there.
    deadline = time.monotonic() + 15
    while not event.count() and time.monotonic() < deadline:
        page.get_by_role("button", name=re.compile("Check for new events|Load more")).click()
        expect(page.get_by_role("button", name=re.compile("Check for new events|Load more"))).to_be_enabled()
    expect(event).to_contain_text("CART_OPENED")
    expect(event.get_by_role("link", name=cart["id"])).to_have_attribute("href", f"#/carts/{cart['id']}")
    expect(event.get_by_role("link", name=customer)).to_have_attribute("href", f"#/customers/{customer}")
    expect(event).to_contain_text("source: BACKOFFICE")
    expect(page.get_by_role("row").filter(has_text="ORDER_PLACED")).to_have_count(0)


@pytest.mark.expected_http_errors(422)
def test_an_api_token_is_created_shown_once_and_revoked(page, context, service, api):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    customer = api.customer("Token Holders Ltd")
    name = f"Store sync {secrets.token_hex(3)}"
    open_backoffice(page, service, "Tara Tokens", "API tokens")

    page.get_by_label("Name").fill(name)
    page.get_by_label("Role").select_option("customer")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("alert")).to_contain_text("customerId")
    expect(page.get_by_label("Customer id")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Customer id").fill(customer)
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("heading", name=f"Token {name} created")).to_be_visible()
    secret = page.get_by_label("New token")
    expect(secret).to_have_value(re.compile(r"^op_[0-9a-f]{64}$"))
    token = secret.input_value()
    page.get_by_role("button", name="Copy token").click()
    expect(page.get_by_text("Copied to the clipboard.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == token
    status, me = me_with(service, token)
    assert (status, me["kind"], me["name"], me["customerId"]) == (200, "TOKEN", name, customer)

    listed = page.get_by_role("row").filter(has_text=name)
    expect(listed).to_contain_text("customer")
    expect(listed).to_contain_text("Active")
    expect(listed.get_by_role("link", name=customer)).to_be_visible()

    listed.get_by_role("button", name=f"Revoke token {name}").click()
    dialog = page.get_by_role("dialog", name=f"Revoke token {name}?")
    # The safe choice has the focus; the keyboard alone confirms.
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Revoke")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_have_count(0)
    expect(listed).to_contain_text("Revoked")
    expect(listed.get_by_role("button")).to_have_count(0)
    assert me_with(service, token)[0] == 401
