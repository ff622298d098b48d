"""Steps the browser tests share: signing in, and reading an event off the inbox page."""

from playwright.sync_api import expect

from orderpath import PASSWORD


def sign_in(page, path, email, password=PASSWORD):
    """Opens an app at `path` and signs in through its form."""
    page.goto(path)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def inbox_event(inbox_page, event_type, *texts):
    """Waits until the inbox page shows an event of `event_type` containing every text,
    without reloading it (the page adds new deliveries as they arrive)."""
    event = inbox_page.locator(".event").filter(has=inbox_page.locator("h2", has_text=event_type))
    for text in texts:
        event = event.filter(has_text=text)
    expect(event.first).to_be_visible()
    return event


def calculate_cuts(dialog, cuts, proposed, drum_cost):
    """In the cable calculator `dialog`: asks for `cuts` ("150, 350") and checks the proposal,
    one `(length, drum, drum price)` per cut, then the drum cost."""
    dialog.get_by_role("radio", name="Cuts").check()
    dialog.get_by_label("Cuts (m)").fill(cuts)
    dialog.get_by_role("button", name="Calculate").click()
    rows = dialog.get_by_role("table", name="Proposed cuts and drums").get_by_role("row")
    expect(rows).to_have_count(len(proposed) + 2)  # the header, the cuts, the drum cost
    for index, texts in enumerate(proposed):
        for text in texts:
            expect(rows.nth(1 + index)).to_contain_text(text)
    expect(rows.last).to_contain_text("Drum cost")
    expect(rows.last).to_contain_text(drum_cost)
