"""A new sale: from the customers list, through the customer's page, to a new cart."""

from playwright.sync_api import expect

from helpers import inbox_event, sign_in


def test_new_sale_opens_a_cart_and_reports_cart_opened(page, service, api, inbox):
    customer = api.customer("Kowalski Elektro Sp. z o.o.", email="orders@kowalski.example")
    api.customer("Another Customer Ltd")
    sign_in(page, "/backoffice/", service.user("backoffice"))

    page.get_by_role("link", name="Customers").click()
    page.get_by_label("Search customers").fill("kowalski")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Another Customer Ltd")).to_have_count(0)
    page.get_by_role("link", name="Kowalski Elektro Sp. z o.o.").click()

    expect(page.get_by_role("heading", name="Kowalski Elektro Sp. z o.o.")).to_be_visible()
    expect(page.get_by_role("tab", name="Carts")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tabpanel")).to_contain_text("No carts yet.")
    create = page.get_by_role("button", name="Create")
    create.click()
    expect(create).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("menuitem", name="New sale")).to_be_focused()
    page.keyboard.press("Escape")  # closes the menu, back on its button
    expect(page.get_by_role("menuitem", name="New sale")).to_be_hidden()
    expect(create).to_be_focused()
    create.click()
    page.get_by_role("menuitem", name="New sale").click()

    expect(page.get_by_role("heading", name="Cart")).to_be_visible()
    cart_id = page.url.rsplit("/", 1)[-1]
    expect(page.get_by_role("link", name="Kowalski Elektro Sp. z o.o.")).to_be_visible()
    expect(page.get_by_role("table", name="Cart lines")).to_contain_text("No lines yet.")
    inbox_event(inbox, "CART_OPENED", customer, cart_id)

    # The cart is the customer's newest; its tab lists it.
    page.get_by_role("link", name="Kowalski Elektro Sp. z o.o.").click()
    expect(page.get_by_role("tabpanel").get_by_role("link", name="Cart of")).to_have_count(1)
    expect(page.get_by_role("tabpanel")).to_contain_text("BACKOFFICE")
