"""A long cart: 200 lines render at once after their data arrives, and stay usable. The
render time (style and layout included) is measured by the page and printed, not asserted:
run with `-s` to read it."""

from playwright.sync_api import expect

from helpers import sign_in


def render_times(page):
    return page.evaluate(
        "performance.getEntriesByName('orderpath:cart-render').map(e => e.duration)"
    )


def test_a_200_line_cart_renders_and_a_quantity_changes(page, service, api):
    customer = api.customer("Großhandel Lang KG")
    products = api.cable_with_drums(stock="100000", name="Long cart cable")
    cart = api.cart(customer)
    cuts = [{"productId": products["cable"],
             "quantity": {"type": "CONTENT_QUANTITY", "value": str(10 + i)},
             "children": [{"productId": products["small_drum"],
                           "quantity": {"type": "UNIT", "value": "1"}, "removable": False}]}
            for i in range(99)]
    api.call("POST", f"/carts/{cart['id']}/add-configurable-products", {"configurableProducts": cuts})
    for name in ("Cable tie 200 mm", "Junction box IP65"):
        api.call("POST", f"/carts/{cart['id']}/products", {
            "productId": api.product(name=name), "quantity": {"type": "UNIT", "value": "4"}})

    sign_in(page, f"/backoffice/#/carts/{cart['id']}", service.user("backoffice"))
    rows = page.get_by_role("table", name="Cart lines").get_by_role("row")
    expect(rows).to_have_count(201)
    expect(rows.nth(200)).to_contain_text("Junction box IP65")
    first = render_times(page)
    assert len(first) == 1

    # A quantity change redraws the changed row only: the other rows stay the same elements.
    page.evaluate("document.querySelector('table.lines tbody tr').dataset.drawn = 'first'")
    net = page.get_by_label("Totals").get_by_role("definition").first
    before = net.inner_text()
    quantity = page.get_by_role("textbox", name="Quantity of line 200, Junction box IP65 (pcs)")
    quantity.fill("7")
    quantity.press("Enter")
    expect(rows.nth(200)).to_contain_text("70.00")  # 7 × 10.00
    expect(quantity).to_be_focused()  # the focus survives the re-render
    expect(rows.nth(1)).to_have_attribute("data-drawn", "first")
    expect(net).not_to_have_text(before)  # the totals follow: 3 × 10.00 more
    expect(net).to_contain_text(f"{float(before.split()[0]) + 30:.2f} EUR")
    again = render_times(page)
    assert len(again) == 2
    print(f"\n200-line cart render: {first[0]:.1f} ms after the data arrived, "
          f"{again[1]:.1f} ms after a quantity change")
