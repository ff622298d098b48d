// The order view (`#/orders/:id`): lines as a tree, totals, and the shipments with their
// status; a READY shipment can be shipped from here.

import { linesTable, shipmentList, totalsList } from "../common/lines.js";
import { h, keepFocus, render } from "../common/ui.js";
import { heading, readCustomer } from "./document-parts.js";

export async function orderView(params, main, { api }) {
  let order = await api.get(`/orders/${params.id}`);
  const customer = await readCustomer(api, order.customerId);
  const top = h("div");
  const errors = h("div");
  // Focusable, so that a keyboard can scroll a table wider than a narrow screen.
  const lines = h("div", { class: "scroll", role: "region", "aria-label": "Lines", tabindex: "0" });
  const shipmentsTitle = h("h2", { tabindex: "-1" }, "Shipments");
  const shipments = h("div");

  function show(next) {
    order = next;
    const from = order.offerId
      ? [" · from ", h("a", { href: `#/offers/${order.offerId}` }, "its offer")]
      : order.cartId
        ? [" · from ", h("a", { href: `#/carts/${order.cartId}` }, "its cart")]
        : null;
    keepFocus(() => {
      render(top, heading(`Order ${order.number}`, order, customer, from));
      render(lines, linesTable(order.lines, { caption: "Order lines", margins: true }), totalsList(order.totals, { currency: order.currency, margins: true }));
      render(
        shipments,
        shipmentList(order.shipments, order.lines, {
          errors,
          onShip: async (shipment) => show(await api.post(`/orders/${order.id}/shipments/${shipment.id}/ship`)),
        }),
      );
    }, shipmentsTitle);
  }

  render(
    main,
    h("div", { class: "panel" }, top, errors),
    h("div", { class: "panel" }, h("h2", {}, "Lines"), lines),
    h("div", { class: "panel" }, shipmentsTitle, shipments),
  );
  show(order);
}
