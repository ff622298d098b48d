"""With every other origin cut off, both apps work through a seed flow and attempt nothing
outside the service: no font, script, style, image or beacon is fetched from the network."""

import re

import pytest
from playwright.sync_api import expect

from helpers import calculate_cuts, sign_in


@pytest.fixture
def attempts(context, service):
    """Aborts every request to an origin other than the service's; answers the list of
    what was attempted (method and URL), for the test to find empty."""
    tried = []

    def guard(route):
        if route.request.url.startswith(service.url + "/"):
            route.continue_()
        else:
            tried.append(f"{route.request.method} {route.request.url}")
            route.abort()

    context.route("**/*", guard)
    return tried


def test_the_backoffice_needs_no_other_origin(page, service, api, attempts):
    customer = api.customer("Offline Werke GmbH")
    api.cable_with_drums(name="Offline test cable")
    sign_in(page, "/backoffice/", service.user("backoffice"))

    page.get_by_role("link", name="Customers").click()
    page.get_by_label("Search customers").fill("Offline Werke")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Offline Werke GmbH").click()
    page.get_by_role("button", name="Create").click()
    page.get_by_role("menuitem", name="New sale").click()
    expect(page.get_by_role("table", name="Cart lines")).to_contain_text("No lines yet.")

    page.get_by_role("button", name="Cable calculator").click()
    dialog = page.get_by_role("dialog", name="Cable calculator")
    dialog.get_by_label("Search cables").fill("Offline test cable")
    dialog.get_by_role("button", name="Find cables").click()
    calculate_cuts(dialog, "120", [("120 m", "Drum 200 m", "12.00 EUR")], "12.00 EUR")
    dialog.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("table", name="Cart lines").get_by_role("row")).to_have_count(3)
    for view in ("Catalog", "Events"):
        page.get_by_role("navigation").get_by_role("link", name=view).click()
        expect(page.get_by_role("heading", name=view, level=1)).to_be_visible()
    page.get_by_role("link", name="Customers").click()
    page.get_by_role("link", name="Offline Werke GmbH").click()
    expect(page.get_by_role("tabpanel").get_by_role("link", name="Cart of")).to_have_count(1)
    assert api.call("GET", f"/customers/{customer}/carts")["items"]
    assert attempts == []


def test_the_store_needs_no_other_origin(page, service, api, attempts):
    customer = api.customer("Offline Handel AB")
    api.product(name="Offline terminal block", netPrice="2.40", purchasePrice="1.10")
    sign_in(page, "/store/", service.user("customer", customer=customer))

    page.get_by_label("Search products").fill("Offline terminal")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("article", name="Offline terminal block").get_by_role("button", name="Add to cart").click()
    cart = page.get_by_role("banner").get_by_role("button", name=re.compile(r"^Cart"))
    expect(cart).to_have_accessible_name("Cart 1 item")
    cart.click()
    expect(page.get_by_role("table", name="Lines of your cart")).to_contain_text("Offline terminal block")
    for view in ("My offers", "My orders"):
        page.get_by_role("navigation", name="Main").get_by_role("link", name=view).click()
        expect(page.get_by_role("heading", name=view, level=1)).to_be_visible()
    page.get_by_role("button", name="Account").click()
    page.get_by_role("link", name="Account details").click()
    expect(page.get_by_role("region", name="Customer")).to_contain_text("Offline Handel AB")
    assert attempts == []
