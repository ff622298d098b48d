// What the cart, offer and order views share: the heading with the customer, and timing a
// render.

import { statusWords } from "../common/lines.js";
import { h, when } from "../common/ui.js";

/** The customer of a document, or null when it cannot be read (the view still shows). */
export function readCustomer(api, id) {
  return api.get(`/customers/${id}`).catch(() => null);
}

/** "Cart" + status badge, then the customer's link and the document's dates. */
export function heading(title, doc, customer, ...more) {
  document.title = `${title} · orderpath backoffice`;
  return [
    h("div", { class: "heading" }, h("h1", {}, title, " ", doc.status ? h("span", { class: `badge ${doc.status}` }, statusWords(doc.status)) : null)),
    h(
      "p",
      { class: "muted" },
      "Customer: ",
      h("a", { href: `#/customers/${doc.customerId}` }, customer ? customer.name : doc.customerId),
      ` · created ${when(doc.createdAt)} · updated ${when(doc.updatedAt)} · ${doc.currency}`,
      more,
    ),
  ];
}

/**
 * Runs `draw()` and records how long it took, style and layout included, as the
 * performance measure `name` (seen in the browser's performance tools).
 */
export function timed(name, draw, measured) {
  const started = performance.now();
  draw();
  void measured.offsetHeight; // forces style and layout into the measured time
  performance.measure(name, { start: started, end: performance.now() });
}
