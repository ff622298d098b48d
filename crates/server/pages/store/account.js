// Account → Account details: who is signed in (`GET /me`), the customer they buy for
// (`GET /customers/{id}`), and its activity: the last activity the service recorded (a
// sign-in or other activity; after 30 minutes of silence it records CLIENT_LOGGED again),
// this session, and the customer's newest carts, offers and orders.

import { query } from "../common/api.js";
import { h, render, when } from "../common/ui.js";
import { badge, itemCount, items, setTitle } from "./parts.js";

function details(title, rows) {
  const id = `acc-${title.toLowerCase().replace(/\W+/g, "-")}`;
  return h(
    "section",
    { class: "panel", "aria-labelledby": id },
    h("h2", { id }, title),
    h(
      "dl",
      { class: "details" },
      rows
        .filter(([, value]) => value !== undefined)
        .map(([label, value]) => [h("dt", {}, label), h("dd", {}, value ?? "—")]),
    ),
  );
}

/** The customer's newest documents of each kind, newest first. */
async function recent(api, customerId) {
  const list = (kind) => api.get(`/customers/${customerId}/${kind}` + query({ limit: 3 }));
  const [carts, offers, orders] = await Promise.all([list("carts"), list("offers"), list("orders")]);
  const row = (what, at, name, href, status = null) => ({ what, at, name, href, status });
  const rows = [
    ...carts.items.map((c) => row("Cart", c.updatedAt, `cart of ${items(itemCount(c))}`, `#/cart/${c.id}`, c.status)),
    ...offers.items.map((o) => row("Offer", o.updatedAt, o.number, `#/offers/${o.id}`, o.status)),
    ...orders.items.map((o) => row("Order", o.createdAt, o.number, `#/orders/${o.id}`)),
  ];
  return rows.sort((a, b) => (a.at < b.at ? 1 : -1));
}

/** `#/account`: account details and activity. */
export async function accountView(params, main, state) {
  const { api, me } = state;
  const [customer, documents] = await Promise.all([
    api.get(`/customers/${me.customerId}`),
    recent(api, me.customerId),
  ]);
  const session = api.session.get();
  setTitle("Account details");
  render(
    main,
    h("h1", {}, "Account details"),
    details("You", [
      ["Name", me.name],
      ["Email", me.email],
      ["Role", me.role],
    ]),
    details("Customer", [
      ["Name", customer.name],
      ["Customer number", customer.externalId],
      ["Email", customer.email],
      ["Currency", customer.currency],
      ["Customer since", when(customer.createdAt)],
    ]),
    details("Activity", [
      ["Last activity", customer.lastActivityAt ? when(customer.lastActivityAt) : "none recorded"],
      ["Signed in", when(session?.user?.lastSignInAt)],
      ["Session ends at the latest", when(session?.expiresAt)],
    ]),
    h(
      "section",
      { class: "panel", "aria-labelledby": "acc-recent" },
      h("h2", { id: "acc-recent" }, "Recent carts, offers and orders"),
      documents.length
        ? h(
            "table",
            {},
            h(
              "thead",
              {},
              h("tr", {}, ["When", "What", "Document", "Status"].map((text) => h("th", { scope: "col" }, text))),
            ),
            h(
              "tbody",
              {},
              documents.map((d) =>
                h(
                  "tr",
                  {},
                  h("td", {}, when(d.at)),
                  h("td", {}, d.what),
                  h("td", {}, h("a", { href: d.href }, d.name)),
                  h("td", {}, d.status ? badge(d.status) : ""),
                ),
              ),
            ),
          )
        : h("p", { class: "empty" }, "No carts, offers or orders yet."),
    ),
  );
}

export const routes = [["/account", accountView]];
