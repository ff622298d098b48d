"""Refused changes in the cart view: a bad quantity shows the server's reason and changes
nothing; a change made elsewhere meanwhile is not overwritten."""

import pytest
from playwright.sync_api import expect

from helpers import sign_in


@pytest.mark.expected_http_errors(412, 422)
def test_refused_quantity_changes_change_nothing(page, service, api):
    customer = api.customer("Konflikt Elektro")
    cart = api.cart(customer)
    product = api.product(name="Cable gland M20")
    line = api.call("POST", f"/carts/{cart['id']}/products",
                    {"productId": product, "quantity": {"type": "UNIT", "value": "2"}})["lines"][0]
    sign_in(page, f"/backoffice/#/carts/{cart['id']}", service.user("backoffice"))
    quantity = page.get_by_role("textbox", name="Quantity of line 1, Cable gland M20 (pcs)")

    quantity.fill("0")
    quantity.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("must be greater than 0")
    assert api.call("GET", f"/carts/{cart['id']}")["lines"][0]["quantity"]["value"] == "2"

    # Someone else changes the line while this view shows version 1 of the cart.
    api.call("PATCH", f"/carts/{cart['id']}/lines/{line['id']}",
             {"quantity": {"type": "UNIT", "value": "3"}})
    quantity.fill("5")
    quantity.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("changed elsewhere")
    expect(quantity).to_have_value("3")
    assert api.call("GET", f"/carts/{cart['id']}")["lines"][0]["quantity"]["value"] == "3"

    quantity.fill("5")
    quantity.press("Enter")
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_role("table", name="Cart lines")).to_contain_text("50.00")
    assert api.call("GET", f"/carts/{cart['id']}")["lines"][0]["quantity"]["value"] == "5"
