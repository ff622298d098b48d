"""Placing an order from a cart: change a quantity, delete a line, see the shipment plan,
place it; the ordered cart can no longer change."""

from playwright.sync_api import expect

from helpers import inbox_event, sign_in


def test_a_cart_is_ordered_after_its_shipment_plan(page, service, api, inbox):
    customer = api.customer("Baustelle Süd GmbH")
    cart = api.cart(customer)
    for name, stock in (("Conduit 20 mm", "500"), ("Distribution board", "3"), ("Spare fuse", "50")):
        product = api.product(name=name, stock=stock)
        api.call("POST", f"/carts/{cart['id']}/products",
                 {"productId": product, "quantity": {"type": "UNIT", "value": "2"}})
    sign_in(page, f"/backoffice/#/carts/{cart['id']}", service.user("backoffice"))
    lines = page.get_by_role("table", name="Cart lines")

    board = page.get_by_role("textbox", name="Quantity of line 2, Distribution board (pcs)")
    board.fill("5")
    board.press("Enter")
    expect(lines.get_by_role("row").nth(2)).to_contain_text("50.00")
    page.get_by_role("button", name="Delete line 3, Spare fuse").click()
    expect(lines).not_to_contain_text("Spare fuse")
    expect(lines.get_by_role("row")).to_have_count(3)

    page.get_by_role("button", name="Place order…").click()
    dialog = page.get_by_role("dialog", name="Place the order")
    expect(dialog).to_contain_text("Net 70.00 EUR")
    expect(dialog.get_by_role("heading", name="Shipment 1")).to_contain_text("Ready")
    expect(dialog.get_by_role("heading", name="Shipment 2")).to_contain_text("Waiting for stock")
    expect(dialog).to_contain_text("Distribution board (line 2): 3 pcs")
    dialog.get_by_role("button", name="Place order").click()

    expect(page.get_by_role("heading", name="Order")).to_be_visible()
    order_id = page.url.rsplit("/", 1)[-1]
    inbox_event(inbox, "ORDER_PLACED", order_id, cart["id"])
    page.get_by_role("link", name="its cart").click()
    expect(page.get_by_text("This cart was ordered")).to_be_visible()
    expect(page.get_by_role("heading", name="Cart")).to_contain_text("Ordered")
    expect(page.get_by_role("button", name="Delete line 1, Conduit 20 mm")).to_have_count(0)
    expect(page.get_by_role("textbox", name="Quantity of line 1, Conduit 20 mm (pcs)")).to_have_count(0)
