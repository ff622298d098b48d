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
