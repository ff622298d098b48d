"""What the API sent a page: every response body, kept for checks over a whole flow (such as
"no purchase price ever reaches the store")."""

from orderpath import BASE

PURCHASE_FIELDS = ("purchasePrice", "purchaseTotal", "margin", "marginPercent")


class ApiResponses:
    """Records the page's API responses; `bodies()` reads them once the flow is done."""

    def __init__(self, page):
        self.responses = []
        page.on("response", self.seen)

    def seen(self, response):
        if BASE in response.url:
            self.responses.append(response)

    def bodies(self):
        """`[(method, url, body text)]` of every recorded response that has a body."""
        read = []
        for response in self.responses:
            if response.status in (204, 304):
                continue
            read.append((response.request.method, response.url, response.text()))
        return read


def assert_no_purchase_fields(recorded):
    """Fails naming the response when any body the page received mentions a purchase price
    or a margin. Answers the bodies checked."""
    bodies = recorded.bodies()
    for method, url, text in bodies:
        for word in PURCHASE_FIELDS:
            assert word not in text, f"{method} {url} sent {word!r} to the store: {text[:300]}"
    return bodies
