"""The customers' store: signing in, the cart button, account details, the catalog and the
cart, as a customer's buyer uses them, with the events they record read off the inbox page."""

import json
import re

import pytest
from playwright.sync_api import expect

from helpers import inbox_event, sign_in
from responses import ApiResponses, assert_no_purchase_fields


def cart_button(page):
    return page.get_by_role("banner").get_by_role("button", name=re.compile(r"^Cart"))


def test_a_buyer_signs_in_opens_the_cart_reads_the_account_and_adds_from_the_catalog(
    page, service, api, inbox
):
    customer = api.customer("Nordic Cables AB")
    busbar = api.product(name="Copper busbar 20x5", netPrice="12.50", purchasePrice="7.10", stock="40")
    api.product(name="Cable gland M20", netPrice="0.80", purchasePrice="0.30")
    api.product(name="Copper busbar 30x5 (retired)", active=False)
    email = service.user("customer", customer=customer, name="Ola Buyer")
    recorded = ApiResponses(page)

    # Log in to the OFE: the sign-in is the customer's activity.
    sign_in(page, "/store/", email)
    expect(page.get_by_role("heading", name="Catalog")).to_be_visible()
    inbox_event(inbox, "CLIENT_LOGGED", customer, "OFE")

    # The shopping cart button in the upper right corner opens the customer's cart.
    button = cart_button(page)
    expect(button).to_have_accessible_name("Cart 0 items")
    box = button.bounding_box()
    assert box["x"] > 1280 / 2 and box["y"] < 60, box
    button.click()
    expect(page.get_by_role("heading", name="Your cart")).to_be_visible()
    expect(page).to_have_title("Your cart · orderpath store")
    cart_id = re.search(r"#/cart/([0-9a-f-]{36})$", page.url).group(1)
    inbox_event(inbox, "CART_OPENED", customer, cart_id, "OFE")

    # Account → Account details: who signed in, the customer, and its activity.
    page.get_by_role("button", name="Account").click()
    page.get_by_role("link", name="Account details").click()
    expect(page.get_by_role("heading", name="Account details", level=1)).to_be_visible()
    expect(page.get_by_role("region", name="You")).to_contain_text(email)
    expect(page.get_by_role("region", name="Customer")).to_contain_text("Nordic Cables AB")
    activity = page.get_by_role("region", name="Activity")
    expect(activity).to_contain_text("Last activity")
    expect(activity).not_to_contain_text("none recorded")
    recent = page.get_by_role("region", name="Recent carts, offers and orders")
    expect(recent.get_by_role("row").filter(has_text="Cart")).to_contain_text("open")

    # Catalog search finds active products only; add one to the cart with a quantity.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Catalog").click()
    page.get_by_label("Search products").fill("busbar")
    page.get_by_role("button", name="Search").click()
    product = page.get_by_role("article", name="Copper busbar 20x5")
    expect(product).to_contain_text("12.50 EUR")
    expect(page.get_by_role("article")).to_have_count(1)
    product.get_by_label("Quantity (pcs)").fill("3")
    product.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("status")).to_have_text("Added 3 pcs of Copper busbar 20x5 to your cart.")
    expect(cart_button(page)).to_have_accessible_name("Cart 1 item")

    # The cart shows the line at its sale price, with net, VAT and gross totals.
    cart_button(page).click()
    line = page.get_by_role("row").filter(has_text="Copper busbar 20x5")
    expect(line.get_by_label("Quantity of line 1, Copper busbar 20x5 (pcs)")).to_have_value("3")
    expect(line).to_contain_text("37.50")
    totals = page.get_by_label("Totals")
    expect(totals).to_contain_text("37.50 EUR")
    expect(totals).to_contain_text("8.63 EUR")
    expect(totals).to_contain_text("46.13 EUR")
    cart = api.call("GET", f"/carts/{cart_id}")
    assert [(l["productId"], l["quantity"]["value"]) for l in cart["lines"]] == [(busbar, "3")]

    # Never a purchase price or a margin in anything the store received.
    bodies = assert_no_purchase_fields(recorded)
    urls = [url for _, url, _ in bodies]
    assert any("/products?" in url for url in urls) and any(f"/carts/{cart_id}" in url for url in urls)
    # Opening views reports activity; within the window it records no second CLIENT_LOGGED.
    reports = [(m, json.loads(t)) for m, u, t in bodies if u.endswith(f"/customers/{customer}/activity")]
    assert reports and all(r == ("POST", {"clientLoggedEmitted": False}) for r in reports), reports
    logged = api.call("GET", "/events?type=CLIENT_LOGGED&limit=500")["items"]
    assert [e["data"]["customerId"] for e in logged].count(customer) == 1


@pytest.mark.expected_http_errors(422)
def test_the_cart_lets_a_buyer_change_only_what_the_merchant_left_open(page, service, api):
    customer = api.customer("Fjord Electric AS")
    free = api.product(name="Cable tie 200 mm", netPrice="0.10", purchasePrice="0.02", stock="1000")
    locked = api.product(name="Site survey", netPrice="150.00", purchasePrice="90.00")
    cart = api.cart(customer)
    api.call("POST", f"/carts/{cart['id']}/products",
             {"productId": free, "quantity": {"type": "UNIT", "value": "100"}})
    api.call("POST", f"/carts/{cart['id']}/products",
             {"productId": locked, "quantity": {"type": "UNIT", "value": "1"},
              "allowQuantityChange": False, "removable": False})
    email = service.user("customer", customer=customer)
    recorded = ApiResponses(page)

    sign_in(page, "/store/", email)
    expect(cart_button(page)).to_have_accessible_name("Cart 2 items")
    cart_button(page).click()
    survey = page.get_by_role("row").filter(has_text="Site survey")
    expect(survey).to_contain_text("fixed quantity · cannot be removed")
    expect(survey.get_by_role("textbox")).to_have_count(0)
    expect(survey.get_by_role("button")).to_have_count(0)

    ties = page.get_by_role("row").filter(has_text="Cable tie 200 mm")
    quantity = ties.get_by_label("Quantity of line 1, Cable tie 200 mm (pcs)")
    # A half piece is refused by the server, which names the field; nothing changes.
    quantity.fill("1.5")
    quantity.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("quantity.value")
    assert api.call("GET", f"/carts/{cart['id']}")["lines"][0]["quantity"]["value"] == "100"

    quantity.fill("250")
    quantity.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Cable tie 200 mm: quantity 250 pcs.")
    expect(quantity).to_be_focused()  # the row was drawn again; the focus stayed in it
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_label("Totals")).to_contain_text("175.00 EUR")

    page.get_by_role("button", name="Delete line 1, Cable tie 200 mm").click()
    expect(page.get_by_role("status")).to_have_text("Cable tie 200 mm removed.")
    expect(page.get_by_role("row").filter(has_text="Cable tie")).to_have_count(0)
    expect(page.get_by_label("Totals")).to_contain_text("150.00 EUR")
    expect(cart_button(page)).to_have_accessible_name("Cart 1 item")
    lines = api.call("GET", f"/carts/{cart['id']}")["lines"]
    assert [(l["productId"], l["quantity"]["value"]) for l in lines] == [(locked, "1")]
    assert_no_purchase_fields(recorded)


@pytest.mark.expected_http_errors(412)
def test_a_cart_the_merchant_changed_meanwhile_is_shown_again_not_overwritten(page, service, api):
    customer = api.customer("Lakeside Installations")
    relay = api.product(name="Relay 24 V", netPrice="8.00", purchasePrice="5.00")
    cart = api.cart(customer)
    line = api.call("POST", f"/carts/{cart['id']}/products",
                    {"productId": relay, "quantity": {"type": "UNIT", "value": "5"}})["lines"][0]
    email = service.user("customer", customer=customer)

    sign_in(page, "/store/", email)
    cart_button(page).click()
    quantity = page.get_by_label("Quantity of line 1, Relay 24 V (pcs)")
    expect(quantity).to_have_value("5")
    # The merchant changes the line while the buyer looks at the cart.
    api.call("PATCH", f"/carts/{cart['id']}/lines/{line['id']}",
             {"quantity": {"type": "UNIT", "value": "7"}})
    quantity.fill("6")
    quantity.press("Enter")

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Your cart was changed meanwhile; here it is as it is now.")
    expect(alert).to_contain_text("version mismatch")
    expect(quantity).to_have_value("7")
    expect(page.get_by_label("Totals")).to_contain_text("56.00 EUR")
    lines = api.call("GET", f"/carts/{cart['id']}")["lines"]
    assert [l["quantity"]["value"] for l in lines] == ["7"]


def test_the_catalog_loads_a_long_search_a_page_at_a_time(page, service, api):
    customer = api.customer("Pager Test GmbH")
    for n in range(22):
        api.product(name=f"Quokka terminal {n:02}", netPrice="1.25", purchasePrice="0.60")
    email = service.user("customer", customer=customer)

    sign_in(page, "/store/", email)
    page.get_by_label("Search products").fill("quokka")
    page.get_by_label("Search products").press("Enter")
    products = page.get_by_role("article")
    expect(products).to_have_count(20)
    page.get_by_role("button", name="Load more").click()
    expect(products).to_have_count(22)
    expect(page.get_by_role("button", name="Load more")).to_be_hidden()
    assert "search=quokka" in page.url


def test_the_account_menu_works_from_the_keyboard(page, service, api):
    customer = api.customer("Keyboard Oy")
    email = service.user("customer", customer=customer, name="Kai Keys")

    sign_in(page, "/store/", email)
    account = page.get_by_role("button", name="Account")
    account.focus()
    page.keyboard.press("Enter")
    expect(account).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Account details")).to_be_focused()
    page.keyboard.press("Escape")
    expect(account).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="Account details")).to_be_hidden()
    expect(account).to_be_focused()

    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Account details", level=1)).to_be_visible()
    expect(page.get_by_role("region", name="You")).to_contain_text("Kai Keys")
    expect(page.get_by_role("region", name="Customer")).to_contain_text("Keyboard Oy")
    expect(account).to_have_attribute("aria-expanded", "false")
