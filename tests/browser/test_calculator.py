"""The cable calculator: cuts → the proposed drums and their cost → added to the cart, each
drum under its cable, the drums not removable on their own."""

from playwright.sync_api import expect

from helpers import calculate_cuts, sign_in

CABLE = "NYY-J 5x10 calculator cable"


def test_cuts_become_cables_on_drums_in_the_cart(page, service, api):
    customer = api.customer("Kabel Bau GmbH")
    products = api.cable_with_drums(name=CABLE)
    cart = api.cart(customer)
    sign_in(page, f"/backoffice/#/carts/{cart['id']}", service.user("backoffice"))

    page.get_by_role("button", name="Cable calculator").click()
    dialog = page.get_by_role("dialog", name="Cable calculator")
    dialog.get_by_label("Search cables").fill("5x10 calculator")
    dialog.get_by_role("button", name="Find cables").click()
    expect(dialog.get_by_label("Cable", exact=True)).to_have_value(products["cable"])
    # A total length: the calculator chooses the cuts, the cheapest drums covering 1250 m
    # being one of 500 m and four of 200 m (30.00 + 4 × 12.00).
    dialog.get_by_role("radio", name="Total length").check()
    expect(dialog.get_by_label("Cuts (m)")).to_be_hidden()
    dialog.get_by_label("Total length (m)").fill("1250")
    dialog.get_by_role("button", name="Calculate").click()
    proposal = dialog.get_by_role("table", name="Proposed cuts and drums")
    expect(proposal.get_by_role("row")).to_have_count(7)
    expect(proposal.get_by_role("row").nth(6)).to_contain_text("78.00 EUR")

    calculate_cuts(dialog, "150, 350 180", [
        ("150 m", "Drum 200 m", "12.00 EUR"),
        ("350 m", "Drum 500 m", "30.00 EUR"),
        ("180 m", "Drum 200 m", "12.00 EUR"),
    ], "54.00 EUR")
    expect(dialog).not_to_contain_text("3.10")  # the cable's purchase price
    dialog.get_by_role("button", name="Add to cart").click()
    expect(dialog).to_be_hidden()

    lines = page.get_by_role("table", name="Cart lines").get_by_role("row")
    expect(lines).to_have_count(7)
    for index, (length, drum, parent) in enumerate([("150", "Drum 200 m", 1), ("350", "Drum 500 m", 3), ("180", "Drum 200 m", 5)]):
        cable_row, drum_row = lines.nth(1 + 2 * index), lines.nth(2 + 2 * index)
        expect(cable_row).to_contain_text(CABLE)
        expect(cable_row).to_contain_text(f"{length} m")
        expect(drum_row).to_contain_text(drum)
        expect(drum_row).to_contain_text(f"(on line {parent})")
    # The drum belongs to its cut: no delete, no quantity field; the cut can be removed.
    expect(page.get_by_role("button", name=f"Delete line 2, Drum 200 m")).to_have_count(0)
    expect(page.get_by_role("textbox", name="Quantity of line 2, Drum 200 m (pcs)")).to_have_count(0)
    expect(lines.nth(2)).to_contain_text("fixed quantity")
    page.get_by_role("button", name=f"Delete line 3, {CABLE}").click()
    expect(lines).to_have_count(5)
    expect(page.get_by_role("table", name="Cart lines")).not_to_contain_text("Drum 500 m")
    # 150 + 180 m of cable at 4.20 and two small drums at 12.00.
    expect(page.get_by_role("definition").nth(0)).to_have_text("1410.00 EUR")
