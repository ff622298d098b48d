// Small pieces the store's views share: the tab's title, item counts, status badges and
// the lists of offers and orders. The
// lines, totals and shipments themselves are drawn by common/lines.js, as in the backoffice.

import { query } from "../common/api.js";
import { h, pager, render } from "../common/ui.js";

/** Names the browser tab after the view, so a screen reader's user hears where they are. */
export function setTitle(text) {
  document.title = `${text} · orderpath store`;
}

/** "1 item", "3 items". */
export function items(n) {
  return `${n} ${n === 1 ? "item" : "items"}`;
}

/** The lines that are not a part of another line: what a customer counts as items. */
export function itemCount(doc) {
  return (doc?.lines || []).filter((l) => !l.parentLineId).length;
}

/** A status as a labelled badge: the word is always there, the colour only adds to it. */
export function badge(status) {
  return h("span", { class: `badge ${status}` }, status.replaceAll("_", " ").toLowerCase());
}

/**
 * A list view of the customer's documents, newest first, 20 at a time: `kind` is the path
 * below the customer ("offers", "orders"), `row(document)` draws one.
 */
export function documentsView(title, kind, row, empty) {
  return async (params, main, state) => {
    setTitle(title);
    const list = h("div");
    render(main, h("div", { class: "panel" }, h("h1", {}, title), list));
    await pager(list, (cursor) => state.api.get(`/customers/${state.me.customerId}/${kind}` + query({ limit: 20, cursor })), row, { empty });
  };
}
