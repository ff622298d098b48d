// Small pieces the store's views share: the tab's title, item counts and status badges. The
// lines, totals and shipments themselves are drawn by shared/lines.js, as in the backoffice.

import { h } from "../shared/ui.js";

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
