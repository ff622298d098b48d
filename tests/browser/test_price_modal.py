"""The price-editing modal: one cut of a cable gets a lower sale and purchase price (a
damaged piece), with the margin shown as typed, used from the keyboard alone."""

from playwright.sync_api import expect

from helpers import sign_in

CABLE = "YKY 3x2.5 cable"


def cut(cable, drum, length):
    return {"productId": cable, "quantity": {"type": "CONTENT_QUANTITY", "value": length},
            "allowQuantityChange": False, "allowQuantitySplitting": False,
            "children": [{"productId": drum, "quantity": {"type": "UNIT", "value": "1"},
                          "allowQuantityChange": False, "removable": False}]}


def test_editing_one_cuts_prices_from_the_keyboard(page, service, api):
    customer = api.customer("Damaged Goods Handel")
    products = api.cable_with_drums()
    cart = api.cart(customer)
    api.call("POST", f"/carts/{cart['id']}/add-configurable-products", {"configurableProducts": [
        cut(products["cable"], products["small_drum"], "150"),
        cut(products["cable"], products["big_drum"], "300"),
    ]})
    sign_in(page, f"/backoffice/#/carts/{cart['id']}", service.user("backoffice", name="Ann Staff"))
    lines = page.get_by_role("table", name="Cart lines")
    expect(lines.get_by_role("row")).to_have_count(5)  # header + two cuts with their drums

    # Keyboard only from here: focus the line's button, Enter, type, Tab, Enter.
    page.get_by_role("button", name=f"Edit price of line 1, {CABLE}").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name=f"Price of line 1, {CABLE}")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Sale price (unit)")).to_be_focused()
    expect(dialog.get_by_label("Sale price (unit)")).to_have_value("4.20")
    expect(dialog.get_by_label("Purchase price (unit)")).to_have_value("3.10")
    margin, percent = page.locator("#price-margin"), page.locator("#price-margin-percent")
    expect(margin).to_have_text("165.00 EUR")  # 150 m × (4.20 − 3.10)

    page.keyboard.press("Control+A")
    page.keyboard.type("3.90")
    expect(margin).to_have_text("120.00 EUR")  # 585.00 − 465.00
    expect(percent).to_have_text("20.51 %")
    page.keyboard.press("Tab")
    expect(dialog.get_by_label("Purchase price (unit)")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("2.80")
    expect(page.locator("#price-net")).to_have_text("585.00 EUR")
    expect(margin).to_have_text("165.00 EUR")  # 585.00 − 420.00
    expect(percent).to_have_text("28.21 %")
    shown = (margin.inner_text(), percent.inner_text())
    page.keyboard.press("Tab")
    expect(dialog.get_by_label("Reason")).to_be_focused()
    page.keyboard.type("Damaged piece: sheath scratched")
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Save")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog.get_by_role("status")).to_have_text("Saved.")

    stored = api.call("GET", f"/carts/{cart['id']}")
    edited, other = (next(l for l in stored["lines"] if l["position"] == p) for p in (1, 3))
    assert (edited["unitPrice"], edited["purchasePrice"]) == ("3.90", "2.80")
    assert shown == (f"{edited['margin']} EUR", f"{edited['marginPercent']} %")
    # The other cut of the same cable keeps the catalog prices.
    assert (other["unitPrice"], other["purchasePrice"], other["priceOverridden"]) == ("4.20", "3.10", False)

    history = dialog.get_by_role("table", name="Edit history")
    expect(history.get_by_role("row")).to_have_count(3)
    expect(history.get_by_role("row").nth(1)).to_contain_text("Sale")
    expect(history.get_by_role("row").nth(1)).to_contain_text("4.20")
    expect(history.get_by_role("row").nth(1)).to_contain_text("3.90")
    expect(history.get_by_role("row").nth(2)).to_contain_text("Purchase")
    expect(history.get_by_role("row").nth(2)).to_contain_text("Damaged piece: sheath scratched")

    # Tab stays inside the dialog, Escape closes it and the line's button has the focus again.
    for _ in range(8):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('[role=dialog]') !== null")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name=f"Edit price of line 1, {CABLE}")).to_be_focused()

    first_row = lines.get_by_role("row").nth(1)
    expect(first_row).to_contain_text("3.90")
    expect(first_row).to_contain_text("edited; catalog 4.20")
    expect(first_row).to_contain_text("165.00")
    expect(first_row).to_contain_text("28.21 %")
    expect(lines.get_by_role("row").nth(3)).to_contain_text("4.20")
    expect(lines.get_by_role("row").nth(3)).not_to_contain_text("edited")
