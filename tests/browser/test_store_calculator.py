"""The cable calculator in the store: a buyer cuts a cable to length from the catalog, sees
the drums proposed and what they cost, and adds the cuts to the cart, where each drum sits
under its cable and cannot be removed on its own. Sale prices only, throughout."""

import re

from playwright.sync_api import expect

from helpers import calculate_cuts, sign_in
from responses import ApiResponses, assert_no_purchase_fields

CABLE = "NA2XY 4x25 store cable"


def test_a_buyer_cuts_a_cable_to_length_and_gets_the_drums_in_the_cart(page, service, api):
    customer = api.customer("Kraftwerk Montage GmbH")
    products = api.cable_with_drums(name=CABLE)
    email = service.user("customer", customer=customer)
    recorded = ApiResponses(page)

    sign_in(page, "/store/", email)
    page.get_by_label("Search products").fill("4x25 store cable")
    page.get_by_role("button", name="Search").click()
    product = page.get_by_role("article", name=CABLE)
    product.get_by_role("button", name="Cut to length…").click()

    dialog = page.get_by_role("dialog", name=f"Cut {CABLE} to length")
    expect(dialog.get_by_label("Cable", exact=True)).to_have_value(products["cable"])
    calculate_cuts(dialog, "150, 350", [
        ("150 m", "Drum 200 m", "12.00 EUR"),
        ("350 m", "Drum 500 m", "30.00 EUR"),
    ], "42.00 EUR")
    # No cart was started by calculating: the customer had none, and still has none.
    assert api.call("GET", f"/customers/{customer}/carts?status=OPEN")["items"] == []
    dialog.get_by_role("button", name="Add to cart").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("status")).to_have_text(
        f"Added the cuts of {CABLE}, each on its drum, to your cart."
    )
    cart_button = page.get_by_role("banner").get_by_role("button", name=re.compile(r"^Cart"))
    expect(cart_button).to_have_accessible_name("Cart 2 items")  # two cuts; drums are parts

    cart_button.click()
    lines = page.get_by_role("table", name="Lines of your cart").get_by_role("row")
    expect(lines).to_have_count(5)  # header, then each cut followed by its drum
    for index, (length, drum) in enumerate([("150 m", "Drum 200 m"), ("350 m", "Drum 500 m")]):
        cut, wound = lines.nth(1 + 2 * index), lines.nth(2 + 2 * index)
        expect(cut).to_contain_text(CABLE)
        expect(cut).to_contain_text(length)
        expect(cut).to_contain_text("fixed quantity")
        expect(cut.get_by_role("button", name=f"Delete line {1 + 2 * index}, {CABLE}")).to_have_count(1)
        expect(wound).to_contain_text(drum)
        expect(wound).to_contain_text("cannot be removed")
        expect(wound.get_by_role("button")).to_have_count(0)
        expect(wound.get_by_role("textbox")).to_have_count(0)
    # 500 m of cable at 4.20 and the two drums.
    expect(page.get_by_label("Totals")).to_contain_text("2142.00 EUR")

    cart = api.call("GET", f"/customers/{customer}/carts?status=OPEN")["items"][0]
    parents = {l["id"]: l for l in cart["lines"] if not l["parentLineId"]}
    drums = [l for l in cart["lines"] if l["parentLineId"]]
    assert sorted(p["quantity"]["value"] for p in parents.values()) == ["150", "350"]
    assert all(d["parentLineId"] in parents and not d["removable"] for d in drums)
    assert cart["source"] == "OFE"
    bodies = assert_no_purchase_fields(recorded)
    assert any(url.endswith("/cable-calculator") for _, url, _ in bodies)
