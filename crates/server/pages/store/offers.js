// My offers: the offers the merchant made the customer (`GET /customers/{id}/offers`), one
// offer's lines and totals (`GET /offers/{id}`), accepting or rejecting a SENT offer
// (`PATCH /offers/{id}`), and ordering an accepted one (`POST /offers/{id}/order`).

import { linesTable, totalsList } from "../common/lines.js";
import { busy, h, modal, render, when } from "../common/ui.js";
import { badge, documentsView, itemCount, items, setTitle } from "./parts.js";

function offerRow(offer) {
  return h(
    "article",
    { class: "doc-row", "aria-label": `Offer ${offer.number}` },
    h("a", { href: `#/offers/${offer.id}`, class: "doc-name" }, offer.number),
    badge(offer.status),
    h("span", { class: "muted" }, items(itemCount(offer))),
    h("span", { class: "muted" }, offer.validUntil ? `valid until ${when(offer.validUntil)}` : "no end date"),
    h("span", { class: "num" }, `${offer.totals.grossTotal} ${offer.currency} gross`),
  );
}

/** `#/offers`: the customer's offers, newest first. */
export const offersView = documentsView("My offers", "offers", offerRow, "No offers yet.");

/** Asks before rejecting: a rejected offer cannot be accepted afterwards. */
function confirmReject(offer) {
  return new Promise((resolve) => {
    let answer = false;
    const yes = h("button", { type: "button", class: "danger" }, "Reject offer");
    const no = h("button", { type: "button" }, "Keep it");
    const { close } = modal(
      `Reject offer ${offer.number}?`,
      h(
        "div",
        {},
        h("p", {}, "A rejected offer cannot be accepted or ordered afterwards."),
        h("div", { class: "row" }, yes, no),
      ),
      { onClose: () => resolve(answer) },
    );
    yes.addEventListener("click", () => {
      answer = true;
      close();
    });
    no.addEventListener("click", close);
  });
}

/** `#/offers/:id`: one offer, with what the customer may do with it now. */
export async function offerView(params, main, state) {
  const { api } = state;
  const errors = h("div");
  let offer = await api.get(`/offers/${params.id}`);

  async function setStatus(button, status) {
    const changed = await busy(button, () => api.patch(`/offers/${offer.id}`, { status }), errors);
    if (changed) {
      offer = changed;
      draw(`Offer ${offer.number} ${status.toLowerCase()}.`);
    }
  }

  function actions() {
    if (offer.status === "SENT") {
      const accept = h("button", { type: "button", class: "primary" }, "Accept");
      const reject = h("button", { type: "button", class: "danger" }, "Reject");
      accept.addEventListener("click", () => setStatus(accept, "ACCEPTED"));
      reject.addEventListener("click", async () => {
        if (await confirmReject(offer)) await setStatus(reject, "REJECTED");
      });
      return [accept, reject];
    }
    if (offer.status === "ACCEPTED") {
      const order = h("button", { type: "button", class: "primary" }, "Order");
      order.addEventListener("click", async () => {
        // The version it was accepted at: an offer changed meanwhile is refused, not ordered.
        const ifMatch = `"${offer.version}"`;
        const place = () => api.post(`/offers/${offer.id}/order`, undefined, { ifMatch });
        const placed = await busy(order, place, errors);
        if (placed) location.hash = `#/orders/${placed.id}`;
      });
      return [order];
    }
    return [];
  }

  /** What the status means for the customer now. */
  function note() {
    const notes = {
      DRAFT: "The merchant is still preparing this offer.",
      SENT: "Accept the offer to order it, or reject it.",
      ACCEPTED: "You accepted this offer: order it to have it delivered.",
      REJECTED: "You rejected this offer.",
      EXPIRED: "This offer has expired; ask the merchant for a new one.",
      ORDERED: ["This offer was ordered: see ", h("a", { href: "#/orders" }, "My orders"), "."],
    };
    return h("p", {}, notes[offer.status] || "");
  }

  function draw(done) {
    setTitle(`Offer ${offer.number}`);
    const buttons = actions();
    render(
      main,
      h(
        "div",
        { class: "panel" },
        h("p", {}, h("a", { href: "#/offers" }, "← My offers")),
        h("h1", {}, `Offer ${offer.number} `, badge(offer.status)),
        h(
          "p",
          { class: "muted" },
          `Made ${when(offer.createdAt)} · `,
          offer.validUntil ? `valid until ${when(offer.validUntil)}` : "no end date",
        ),
        note(),
        h("p", { role: "status" }, done || ""),
        errors,
        buttons.length ? h("div", { class: "row actions" }, buttons) : null,
        linesTable(offer.lines, { caption: `Lines of offer ${offer.number}` }),
        totalsList(offer.totals, { currency: offer.currency }),
      ),
    );
  }
  draw();
}

export const routes = [
  ["/offers", offersView],
  ["/offers/:id", offerView],
];
