"""An offer line's price edited in the modal and then restored to the offer's own prices."""

from playwright.sync_api import expect

from helpers import sign_in


def test_an_offer_line_price_is_edited_then_restored(page, service, api):
    customer = api.customer("Restore Test Oy")
    product = api.product(name="Motion sensor", netPrice="25.00", purchasePrice="15.00")
    offer = api.offer_of(customer, product, "4")
    sign_in(page, f"/backoffice/#/offers/{offer['id']}", service.user("backoffice"))

    page.get_by_role("button", name="Edit price of line 1, Motion sensor").click()
    dialog = page.get_by_role("dialog", name="Price of line 1, Motion sensor")
    restore = dialog.get_by_role("button", name="Restore catalog prices")
    expect(restore).to_be_disabled()  # nothing to restore yet
    dialog.get_by_label("Sale price (unit)").fill("22.5")
    expect(page.locator("#price-margin")).to_have_text("30.00 EUR")  # 90.00 − 60.00
    dialog.get_by_label("Reason").fill("Volume discount")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("status")).to_have_text("Saved.")
    expect(dialog.get_by_label("Sale price (unit)")).to_have_value("22.50")
    lines = page.get_by_role("table", name="Offer lines")
    expect(lines).to_contain_text("edited; catalog 25.00")
    assert api.call("GET", f"/offers/{offer['id']}")["lines"][0]["unitPrice"] == "22.50"

    restore.click()
    expect(dialog.get_by_role("status")).to_have_text("Catalog prices restored.")
    expect(dialog.get_by_label("Sale price (unit)")).to_have_value("25.00")
    expect(page.locator("#price-margin")).to_have_text("40.00 EUR")
    expect(restore).to_be_disabled()
    history = dialog.get_by_role("table", name="Edit history").get_by_role("row")
    expect(history).to_have_count(3)
    expect(history.nth(1)).to_contain_text("Volume discount")
    expect(history.nth(2)).to_contain_text("22.50")
    expect(history.nth(2)).to_contain_text("25.00")
    dialog.get_by_role("button", name="Close").click()
    expect(lines).not_to_contain_text("edited")
    assert api.call("GET", f"/offers/{offer['id']}")["lines"][0]["priceOverridden"] is False
