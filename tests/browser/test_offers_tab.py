"""The Offers tab of a customer, and OFFER_OPENED each time the offer in the address changes."""

import json
import time

from playwright.sync_api import expect

from helpers import inbox_event, sign_in


def opened_events(service, offer_id):
    return [
        e for e in service.inbox_events()
        if isinstance(e["body"], dict) and e["body"].get("type") == "OFFER_OPENED"
        and offer_id in json.dumps(e["body"])
    ]


def test_opening_offers_a_b_a_records_three_opens_and_a_reload_none(page, service, api, inbox):
    customer = api.customer("Offerta Instalacje S.A.")
    socket = api.product(name="Wall socket 230 V")
    offers = []
    for quantity in ("2", "5"):
        cart = api.cart(customer)
        api.call("POST", f"/carts/{cart['id']}/products",
                 {"productId": socket, "quantity": {"type": "UNIT", "value": quantity}})
        offers.append(api.call("POST", f"/carts/{cart['id']}/offer", {}))
    a, b = offers
    opens = []
    page.on("request", lambda r: opens.append(r.url)
            if r.method == "POST" and r.url.endswith("/open") else None)

    sign_in(page, f"/backoffice/#/customers/{customer}", service.user("backoffice"))
    # The tabs work from the keyboard: Arrow Right moves from Carts to Offers.
    page.get_by_role("tab", name="Carts").focus()
    page.keyboard.press("ArrowRight")
    tab = page.get_by_role("tab", name="Offers")
    expect(tab).to_be_focused()
    expect(tab).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tab", name="Carts")).to_have_attribute("aria-selected", "false")
    panel = page.get_by_role("tabpanel", name="Offers")
    # Newest first.
    expect(panel.get_by_role("link")).to_have_text([b["number"], a["number"]])

    def open_offer(offer):
        page.get_by_role("tab", name="Offers").click()
        page.get_by_role("tabpanel", name="Offers").get_by_role("link", name=offer["number"]).click()
        expect(page.get_by_role("heading", name=f"Offer {offer['number']}")).to_be_visible()
        expect(page.get_by_role("table", name="Offer lines")).to_contain_text("Wall socket 230 V")

    open_offer(a)
    page.get_by_role("link", name="Offerta Instalacje S.A.").click()
    open_offer(b)
    page.go_back()
    # The address keeps the chosen tab: Back shows the customer's page on Offers again.
    expect(page.get_by_role("tab", name="Offers")).to_have_attribute("aria-selected", "true")
    open_offer(a)

    expect(inbox_event(inbox, "OFFER_OPENED", a["id"], customer)).to_have_count(2)
    expect(inbox_event(inbox, "OFFER_OPENED", b["id"], customer)).to_have_count(1)
    assert len(opens) == 3

    page.reload()
    expect(page.get_by_role("heading", name=f"Offer {a['number']}")).to_be_visible()
    expect(page.get_by_role("table", name="Offer lines")).to_contain_text("Wall socket 230 V")
    time.sleep(3)  # deliveries take a moment: give a wrong one the time to arrive
    assert len(opens) == 3
    assert len(opened_events(service, a["id"])) == 2
    expect(inbox.locator(".event").filter(has_text="OFFER_OPENED").filter(has_text=a["id"])).to_have_count(2)
