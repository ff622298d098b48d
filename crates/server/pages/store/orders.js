// My orders: the customer's orders (`GET /customers/{id}/orders`), and one order's lines,
// totals and shipments with their statuses (`GET /orders/{id}`): what is ready to go and
// what waits for stock.

import { linesTable, shipmentList, totalsList } from "../common/lines.js";
import { h, render, when } from "../common/ui.js";
import { documentsView, itemCount, items, setTitle } from "./parts.js";

/** The shipments' statuses in a few words: "1 ready, 1 waiting for stock". */
function shipmentSummary(order) {
  const counts = new Map();
  for (const s of order.shipments) counts.set(s.status, (counts.get(s.status) || 0) + 1);
  const parts = [...counts].map(([status, n]) => `${n} ${status.replaceAll("_", " ").toLowerCase()}`);
  return parts.join(", ") || "no shipments";
}

function orderRow(order) {
  return h(
    "article",
    { class: "doc-row", "aria-label": `Order ${order.number}` },
    h("a", { href: `#/orders/${order.id}`, class: "doc-name" }, order.number),
    h("span", { class: "muted" }, when(order.createdAt)),
    h("span", { class: "muted" }, items(itemCount(order))),
    h("span", {}, `Shipments: ${shipmentSummary(order)}`),
    h("span", { class: "num" }, `${order.totals.grossTotal} ${order.currency} gross`),
  );
}

/** `#/orders`: the customer's orders, newest first. */
export const ordersView = documentsView("My orders", "orders", orderRow, "No orders yet.");

/** `#/orders/:id`: one order's shipments, lines and totals. */
export async function orderView(params, main, state) {
  const order = await state.api.get(`/orders/${params.id}`);
  // Name the offer it came from by its number; the order itself only carries the id.
  setTitle(`Order ${order.number}`);
  const offer = order.offerId ? await state.api.get(`/offers/${order.offerId}`) : null;
  render(
    main,
    h(
      "div",
      { class: "panel" },
      h("p", {}, h("a", { href: "#/orders" }, "← My orders")),
      h("h1", {}, `Order ${order.number}`),
      h(
        "p",
        { class: "muted" },
        `Placed ${when(order.createdAt)}`,
        offer ? [" from offer ", h("a", { href: `#/offers/${offer.id}` }, offer.number)] : null,
      ),
      h("h2", {}, "Shipments"),
      shipmentList(order.shipments, order.lines),
      h("h2", {}, "Lines"),
      linesTable(order.lines, { caption: `Lines of order ${order.number}` }),
      totalsList(order.totals, { currency: order.currency }),
    ),
  );
}

export const routes = [
  ["/orders", ordersView],
  ["/orders/:id", orderView],
];
