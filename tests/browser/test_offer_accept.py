"""Staff make and send an offer in the backoffice; the customer accepts it in the store and
orders it; the order's shipments show what is ready and what waits for stock."""

import re

from playwright.sync_api import expect

from helpers import inbox_event, sign_in
from responses import ApiResponses, assert_no_purchase_fields


def test_staff_send_an_offer_the_buyer_accepts_and_orders_it(page, staff_page, service, api, inbox):
    customer = api.customer("Baltic Build Sp. z o.o.")
    box = api.product(name="Junction box IP65", netPrice="9.90", purchasePrice="5.00", stock="50")
    drums = api.cable_with_drums(stock="100", name="NYY-J 5x10 cable")
    cart = api.cart(customer)
    api.call("POST", f"/carts/{cart['id']}/products",
             {"productId": box, "quantity": {"type": "UNIT", "value": "4"}})
    # A 150 m cut of a cable with 100 m in stock, never to be split: all of it waits.
    api.call("POST", f"/carts/{cart['id']}/add-configurable-products", {"configurableProducts": [{
        "productId": drums["cable"], "quantity": {"type": "CONTENT_QUANTITY", "value": "150"},
        "allowQuantitySplitting": False,
        "children": [{"productId": drums["small_drum"], "quantity": {"type": "UNIT", "value": "1"},
                      "allowQuantitySplitting": False, "removable": False}],
    }]})
    email = service.user("customer", customer=customer, name="Bo Buyer")
    recorded = ApiResponses(page)

    # Staff, in their own browser: make the offer from the cart and send it.
    sign_in(staff_page, f"/backoffice/#/carts/{cart['id']}", service.user("backoffice"))
    expect(staff_page.get_by_role("table", name="Cart lines").get_by_role("row")).to_have_count(4)
    staff_page.get_by_role("button", name="Make offer").click()
    staff_heading = staff_page.get_by_role("heading", name="Offer OF-")
    expect(staff_heading).to_contain_text("Draft")
    number = staff_heading.inner_text().split()[1]
    offer_id = staff_page.url.rsplit("/", 1)[-1]
    staff_page.get_by_role("button", name="Send offer").click()
    expect(staff_heading).to_contain_text("Sent")
    gross = api.call("GET", f"/offers/{offer_id}")["totals"]["grossTotal"]

    # The buyer, in the store: My offers → the offer → Accept → Order.
    sign_in(page, "/store/", email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My offers").click()
    row = page.get_by_role("article", name=f"Offer {number}")
    expect(row).to_contain_text("sent")
    row.get_by_role("link", name=number).click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(f"Offer {number} sent")
    cut = page.get_by_role("row").filter(has_text="NYY-J 5x10 cable")
    expect(cut).to_contain_text("150 m")
    expect(cut).to_contain_text("delivered complete")
    drum = page.get_by_role("row").filter(has_text="Drum 200 m")
    expect(drum).to_contain_text("(on line 2)")
    expect(drum).to_contain_text("cannot be removed")
    expect(page.get_by_label("Totals")).to_contain_text(gross + " EUR")

    page.get_by_role("button", name="Accept").click()
    expect(heading).to_have_text(f"Offer {number} accepted")
    expect(page.get_by_role("button", name="Accept")).to_have_count(0)
    page.get_by_role("button", name="Order").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Order \S+$"))
    order_id = re.search(r"#/orders/([0-9a-f-]{36})$", page.url).group(1)
    ready = page.get_by_role("region", name=re.compile(r"^Shipment \d+ Ready$"))
    waiting = page.get_by_role("region", name=re.compile(r"^Shipment \d+ Waiting for stock$"))
    expect(ready).to_have_count(1)
    expect(waiting).to_have_count(1)
    expect(ready.get_by_role("listitem").filter(has_text="Junction box IP65")).to_contain_text("4 pcs")
    expect(ready).not_to_contain_text("NYY-J")
    expect(waiting.get_by_role("listitem").filter(has_text="NYY-J 5x10 cable")).to_contain_text("150 m")
    expect(waiting.get_by_role("listitem").filter(has_text="Drum 200 m")).to_contain_text("1 pcs")
    expect(waiting).not_to_contain_text("Junction box")
    inbox_event(inbox, "ORDER_PLACED", customer, order_id, offer_id)
    assert api.call("GET", f"/offers/{offer_id}")["status"] == "ORDERED"

    # My orders lists it with its shipments' statuses.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My orders").click()
    listed = page.get_by_role("article", name=re.compile(r"^Order "))
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("1 ready, 1 waiting for stock")
    listed.get_by_role("link").click()
    expect(waiting).to_be_visible()

    # Staff see the customer's answer: the offer, read again, is ordered.
    staff_page.reload()
    expect(staff_heading).to_contain_text("Ordered")

    bodies = assert_no_purchase_fields(recorded)
    urls = [url for _, url, _ in bodies]
    assert any(f"/offers/{offer_id}/order" in url for url in urls)
    assert any(f"/orders/{order_id}" in url for url in urls)


def test_a_buyer_rejects_an_offer_after_confirming_in_a_dialog(page, service, api):
    customer = api.customer("Harbour Lights Oy")
    lamp = api.product(name="Harbour lamp LED", netPrice="49.00", purchasePrice="30.00")
    offer = api.offer_of(customer, lamp, "2", status="SENT")
    email = service.user("customer", customer=customer)

    sign_in(page, "/store/", email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My offers").click()
    page.get_by_role("link", name=offer["number"]).click()
    reject = page.get_by_role("button", name="Reject", exact=True)
    reject.click()

    # The dialog keeps the focus inside and closes with Escape, changing nothing.
    dialog = page.get_by_role("dialog", name=f"Reject offer {offer['number']}?")
    expect(dialog.get_by_role("button", name="Reject offer")).to_be_focused()
    for _ in range(4):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('[role=dialog]') !== null")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(reject).to_be_focused()
    assert api.call("GET", f"/offers/{offer['id']}")["status"] == "SENT"

    reject.click()
    dialog.get_by_role("button", name="Reject offer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Offer {offer['number']} rejected")
    expect(page.get_by_text("You rejected this offer.")).to_be_visible()
    expect(page.get_by_role("button", name="Accept")).to_have_count(0)
    expect(page.get_by_role("button", name="Order")).to_have_count(0)
    assert api.call("GET", f"/offers/{offer['id']}")["status"] == "REJECTED"
