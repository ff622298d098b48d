// The offer view (`#/offers/:id`): lines as a tree, totals, the price modal while the offer
// can change, and its path: send (DRAFT → SENT), record the customer's answer, place the
// order from an accepted offer.

import { linesTable, totalsList } from "../common/lines.js";
import { busy, h, keepFocus, render, when } from "../common/ui.js";
import { heading, readCustomer } from "./document-parts.js";
import { openPriceModal } from "./price-modal.js";

// The offer this person opened last in this tab. Opening another records OFFER_OPENED;
// coming back to the same one (a reload, a re-render after a change) does not (docs/api.md,
// Offers). Kept per user: someone else signing in to the tab starts afresh.
const lastOpened = (me) => `orderpath.backoffice.lastOpenedOffer.${me.id}`;
const EDITABLE = new Set(["DRAFT", "SENT"]);

export async function offerView(params, main, { api, me }) {
  let offer;
  if (sessionStorage.getItem(lastOpened(me)) !== params.id) {
    offer = await api.post(`/offers/${params.id}/open`);
    sessionStorage.setItem(lastOpened(me), params.id);
  } else {
    offer = await api.get(`/offers/${params.id}`);
  }
  const customer = await readCustomer(api, offer.customerId);
  const path = `/offers/${offer.id}`;
  const top = h("div");
  const errors = h("div");
  const actions = h("div", { class: "actions-bar" });
  const linesTitle = h("h2", { tabindex: "-1" }, "Lines");
  // Focusable, so that a keyboard can scroll a table wider than a narrow screen.
  const lines = h("div", { class: "scroll", role: "region", "aria-label": "Lines", tabindex: "0" });
  const totals = h("div");

  function show(next) {
    offer = next;
    const editable = EDITABLE.has(offer.status);
    keepFocus(() => {
      render(
        top,
        heading(`Offer ${offer.number}`, offer, customer, offer.validUntil ? ` · valid until ${when(offer.validUntil)}` : null, " · ", h("a", { href: `#/carts/${offer.cartId}` }, "the cart it was made from")),
      );
      render(
        lines,
        linesTable(offer.lines, {
          caption: "Offer lines",
          margins: true,
          errors,
          onPrice: editable
            ? (line) =>
                openPriceModal(api, {
                  kind: "offers",
                  doc: offer,
                  line,
                  onSaved: show,
                  onClose: () => document.getElementById(`price-${line.id}`)?.focus(),
                })
            : null,
        }),
      );
      render(totals, totalsList(offer.totals, { currency: offer.currency, margins: true }));
      render(actions, actionButtons());
    }, linesTitle);
  }

  function statusButton(label, status, cls) {
    const button = h("button", { type: "button", class: cls }, label);
    button.addEventListener("click", async () => {
      const changed = await busy(button, () => api.patch(path, { status }), errors);
      if (changed) show(changed);
    });
    return button;
  }

  function actionButtons() {
    switch (offer.status) {
      case "DRAFT":
        return statusButton("Send offer", "SENT", "primary");
      case "SENT":
        return [
          h("p", { class: "muted" }, "Sent: the customer accepts or rejects it in the store, or tells you."),
          statusButton("Mark accepted", "ACCEPTED"),
          statusButton("Mark rejected", "REJECTED", "danger"),
        ];
      case "ACCEPTED": {
        const order = h("button", { type: "button", class: "primary" }, "Place order");
        order.addEventListener("click", async () => {
          const placed = await busy(order, () => api.post(`${path}/order`, undefined, { ifMatch: `"${offer.version}"` }), errors);
          if (placed) location.hash = `#/orders/${placed.id}`;
        });
        return order;
      }
      default:
        return h("p", { class: "muted" }, `This offer is ${offer.status.toLowerCase()}; it cannot change any more.`);
    }
  }

  render(main, h("div", { class: "panel" }, top, actions, errors), h("div", { class: "panel" }, linesTitle, lines, totals));
  show(offer);
}
