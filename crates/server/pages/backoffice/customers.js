// Customers (docs/pages.md, Backoffice: customers and documents): the list with search, and
// a customer's page with Create → New sale and the tabs Carts | Offers | Orders.

import { query } from "../common/api.js";
import { statusWords } from "../common/lines.js";
import { busy, field, h, pager, render, when } from "../common/ui.js";
import { menuButton, tabs } from "./widgets.js";

async function list(params, main, { api }) {
  const search = h("input", { type: "search", name: "search", value: params.search || "", autocomplete: "off" });
  const form = h(
    "form",
    { role: "search", class: "row", "aria-label": "Customers" },
    field("Search customers", search, "A part of the name, external id or email."),
    h("div", { class: "field" }, h("button", { type: "submit" }, "Search")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const wanted = `#/customers${query({ search: search.value.trim() })}`;
    // The search lives in the address, so a reload or Back shows the same list.
    if (location.hash === wanted) list({ search: search.value.trim() }, main, { api });
    else location.hash = wanted;
  });
  const results = h("div");
  render(main, h("div", { class: "panel" }, h("h1", {}, "Customers"), form, results));
  await pager(
    results,
    (cursor) => api.get(`/customers${query({ search: params.search, cursor, limit: 50 })}`),
    (customer) =>
      h(
        "div",
        { class: "item" },
        h("a", { href: `#/customers/${customer.id}` }, customer.name),
        " ",
        h("span", { class: "muted" }, [customer.email, customer.externalId, customer.currency].filter(Boolean).join(" · ")),
      ),
    { empty: params.search ? `No customer matches “${params.search}”.` : "No customers yet." },
  );
}

const TABS = [
  ["carts", "Carts"],
  ["offers", "Offers"],
  ["orders", "Orders"],
];

async function customer(params, main, { api }) {
  const customer = await api.get(`/customers/${params.id}`);
  document.title = `${customer.name} · orderpath backoffice`;
  const errors = h("div");
  const create = menuButton("Create", [
    [
      "New sale",
      async (button) => {
        const cart = await busy(button, () => api.post("/carts", { customerId: customer.id, source: "BACKOFFICE" }), errors);
        if (cart) location.hash = `#/carts/${cart.id}`;
      },
    ],
  ]);
  const selected = TABS.some(([key]) => key === params.tab) ? params.tab : "carts";
  const tabbed = tabs(TABS, selected, (key, panel) => {
    // Keep the chosen tab in the address without a new history entry or a re-render.
    history.replaceState(null, "", `#/customers/${customer.id}${key === "carts" ? "" : "?tab=" + key}`);
    return pager(panel, (cursor) => api.get(`/customers/${customer.id}/${key}${query({ cursor, limit: 20 })}`), ROWS[key], {
      empty: `No ${key} yet.`,
    });
  });
  render(
    main,
    h(
      "div",
      { class: "panel" },
      h(
        "div",
        { class: "heading" },
        h("h1", {}, customer.name),
        create,
      ),
      h(
        "p",
        { class: "muted" },
        [customer.email, customer.externalId && `external id ${customer.externalId}`, `currency ${customer.currency}`]
          .filter(Boolean)
          .join(" · "),
      ),
      errors,
    ),
    h("div", { class: "panel" }, tabbed.element),
  );
  await tabbed.ready;
}

const ROWS = {
  carts: (cart) =>
    h(
      "div",
      { class: "item" },
      h("a", { href: `#/carts/${cart.id}` }, `Cart of ${when(cart.createdAt)}`),
      " ",
      badge(cart.status),
      " ",
      h("span", { class: "muted" }, `${cart.lines.length} lines · net ${cart.totals.netTotal} ${cart.currency} · ${cart.source}`),
    ),
  offers: (offer) =>
    h(
      "div",
      { class: "item" },
      h("a", { href: `#/offers/${offer.id}` }, offer.number),
      " ",
      badge(offer.status),
      " ",
      h(
        "span",
        { class: "muted" },
        [`net ${offer.totals.netTotal} ${offer.currency}`, `made ${when(offer.createdAt)}`, offer.validUntil && `valid until ${when(offer.validUntil)}`]
          .filter(Boolean)
          .join(" · "),
      ),
    ),
  orders: (order) =>
    h(
      "div",
      { class: "item" },
      h("a", { href: `#/orders/${order.id}` }, order.number),
      " ",
      h(
        "span",
        { class: "muted" },
        `net ${order.totals.netTotal} ${order.currency} · placed ${when(order.createdAt)} · shipments: ${
          order.shipments.map((s) => statusWords(s.status)).join(", ") || "none"
        }`,
      ),
    ),
};

function badge(status) {
  return h("span", { class: `badge ${status}` }, statusWords(status));
}

export const routes = [
  ["/customers", list],
  ["/customers/:id", customer],
];
