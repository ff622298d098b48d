"""From a cart to a shipped order through an offer: add products from the catalog, make the
offer, send it, record the customer's acceptance, place the order, ship what is ready."""

from playwright.sync_api import expect

from helpers import inbox_event, sign_in


def add(page, name, quantity):
    page.get_by_label("Find a product").fill(name)
    page.get_by_role("button", name="Search").click()
    page.get_by_label(f"Quantity of {name}").fill(quantity)
    page.get_by_role("button", name=f"Add {name}").click()


def test_an_offer_is_sent_accepted_ordered_and_shipped(page, service, api, inbox):
    customer = api.customer("Elektro Nord AB")
    api.product(name="Circuit breaker B16", netPrice="8.50", purchasePrice="5.00", stock="100")
    api.product(name="LED panel 60x60", netPrice="40.00", purchasePrice="31.00", stock="2")
    cart = api.cart(customer)
    sign_in(page, f"/backoffice/#/carts/{cart['id']}", service.user("backoffice"))

    lines = page.get_by_role("table", name="Cart lines")
    add(page, "Circuit breaker B16", "5")
    expect(lines).to_contain_text("Circuit breaker B16")
    add(page, "LED panel 60x60", "4")
    expect(lines).to_contain_text("LED panel 60x60")
    totals = page.get_by_label("Totals")
    expect(totals).to_contain_text("202.50 EUR")  # net 42.50 + 160.00
    expect(totals).to_contain_text("149.00 EUR")  # purchase 25.00 + 124.00

    page.get_by_role("button", name="Make offer").click()
    heading = page.get_by_role("heading", name="Offer OF-")
    expect(heading).to_contain_text("Draft")
    offer_id = page.url.rsplit("/", 1)[-1]
    expect(page.get_by_role("table", name="Offer lines").get_by_role("row")).to_have_count(3)
    page.get_by_role("button", name="Send offer").click()
    expect(heading).to_contain_text("Sent")
    page.get_by_role("button", name="Mark accepted").click()
    expect(heading).to_contain_text("Accepted")
    # An accepted offer is locked: its prices cannot be edited any more.
    expect(page.get_by_role("button", name="Edit price of line 1, Circuit breaker B16")).to_have_count(0)
    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_role("heading", name="Order")).to_be_visible()
    order_id = page.url.rsplit("/", 1)[-1]
    inbox_event(inbox, "ORDER_PLACED", order_id, offer_id, customer)
    shipments = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Shipment"))
    expect(shipments).to_have_count(2)
    ready, waiting = shipments.nth(0), shipments.nth(1)
    expect(ready.get_by_role("heading")).to_contain_text("Ready")
    expect(ready).to_contain_text("Circuit breaker B16 (line 1): 5 pcs")
    expect(ready).to_contain_text("LED panel 60x60 (line 2): 2 pcs")
    expect(waiting.get_by_role("heading")).to_contain_text("Waiting for stock")
    expect(waiting).to_contain_text("LED panel 60x60 (line 2): 2 pcs")
    expect(waiting.get_by_role("button", name="Ship shipment 2")).to_have_count(0)

    page.get_by_role("button", name="Ship shipment 1").click()
    expect(ready.get_by_role("heading")).to_contain_text("Shipped")
    expect(page.get_by_role("button", name="Ship shipment 1")).to_have_count(0)
    expect(page.get_by_role("link", name="its offer")).to_have_attribute("href", f"#/offers/{offer_id}")
