// How the store shows a cart's, an offer's or an order's lines: a table with each drum
// under its cable (`parentLineId`), the line's flags in words, the totals, and an order's
// shipments. Only sale prices: the API sends customers nothing else.

import { h } from "../shared/ui.js";

/** Names the browser tab after the view, so a screen reader's user hears where they are. */
export function setTitle(text) {
  document.title = `${text} · orderpath store`;
}

/** The lines in reading order: each parent by position, its children right after it. */
export function treeOrder(lines) {
  const byPosition = [...lines].sort((a, b) => a.position - b.position);
  const ids = new Set(lines.map((l) => l.id));
  const children = new Map();
  for (const line of byPosition) {
    if (line.parentLineId && ids.has(line.parentLineId)) {
      if (!children.has(line.parentLineId)) children.set(line.parentLineId, []);
      children.get(line.parentLineId).push(line);
    }
  }
  const ordered = [];
  const visit = (line, depth) => {
    ordered.push({ line, depth });
    for (const child of children.get(line.id) || []) visit(child, depth + 1);
  };
  for (const line of byPosition) {
    if (!line.parentLineId || !ids.has(line.parentLineId)) visit(line, 0);
  }
  return ordered;
}

/** "120.5 m" */
export function quantityText(quantity) {
  return `${quantity.value} ${quantity.unit || ""}`.trim();
}

/** "1 item", "3 items". */
export function items(n) {
  return `${n} ${n === 1 ? "item" : "items"}`;
}

/** The lines that are not a part of another line: what a customer counts as items. */
export function itemCount(doc) {
  return (doc?.lines || []).filter((l) => !l.parentLineId).length;
}

/** What the line's flags mean for the customer, in words (never colour alone). */
function flagNotes(line) {
  const notes = [];
  if (!line.allowQuantityChange) notes.push("fixed quantity");
  if (!line.removable) notes.push("cannot be removed");
  if (!line.allowQuantitySplitting) notes.push("delivered complete");
  return notes.length ? h("div", { class: "muted small" }, notes.join(" · ")) : null;
}

/**
 * The lines table. `quantityCell(line)` and `actionCell(line)`, when given, draw the
 * editable parts of a cart; without them the table is read-only.
 */
export function linesTable(doc, { caption = "Lines", quantityCell, actionCell } = {}) {
  const money = (value) => h("td", { class: "num" }, value);
  const head = ["Product", "Quantity", "Unit price", "VAT %", "Net", "Gross"];
  const rows = treeOrder(doc.lines).map(({ line, depth }) =>
    h(
      "tr",
      { class: depth ? "child" : null, dataset: { lineId: line.id } },
      h(
        "td",
        {},
        depth ? h("span", { class: "visually-hidden" }, "part of the line above: ") : null,
        h("span", { class: "name" }, line.name),
        h("div", { class: "muted small" }, line.sku),
        flagNotes(line),
      ),
      h("td", { class: "num" }, quantityCell ? quantityCell(line) : quantityText(line.quantity)),
      money(line.unitPrice),
      h("td", { class: "num" }, line.vatRate),
      money(line.netTotal),
      money(line.grossTotal),
      actionCell ? h("td", {}, actionCell(line)) : null,
    ),
  );
  if (!rows.length) return h("p", { class: "empty" }, "No lines yet.");
  return h(
    "table",
    { class: "lines" },
    h("caption", { class: "visually-hidden" }, caption),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        head.map((label, i) => h("th", { scope: "col", class: i >= 1 ? "num" : null }, label)),
        actionCell ? h("th", { scope: "col" }, "Actions") : null,
      ),
    ),
    h("tbody", {}, rows),
  );
}

/** Net, VAT and gross totals of a document, in its currency. */
export function totalsList(doc) {
  const t = doc.totals;
  const row = (label, value) => [h("dt", {}, label), h("dd", {}, `${value} ${doc.currency}`)];
  return h(
    "dl",
    { class: "totals", "aria-label": "Totals" },
    row("Net", t.netTotal),
    row("VAT", t.vatTotal),
    row("Gross", t.grossTotal),
  );
}

/** A status as a labelled badge: the word is always there, the colour only adds to it. */
export function badge(status) {
  return h("span", { class: `badge ${status}` }, status.replaceAll("_", " ").toLowerCase());
}

/** One shipment: its status in words, and what it carries. */
function shipmentSection(shipment, number, lines) {
  const titleId = `shipment-${number}`;
  const rows = shipment.lines.map((s) => {
    const line = lines.get(s.lineId);
    return h(
      "tr",
      { class: line?.parentLineId ? "child" : null },
      h("td", {}, line ? line.name : s.lineId),
      h("td", { class: "num" }, line ? `${s.quantity} ${line.quantity.unit}` : s.quantity),
    );
  });
  return h(
    "section",
    { class: "shipment", "aria-labelledby": titleId },
    h("h3", { id: titleId }, `Shipment ${number} `, badge(shipment.status)),
    h(
      "table",
      {},
      h("caption", { class: "visually-hidden" }, `What shipment ${number} carries`),
      h(
        "thead",
        {},
        h("tr", {}, h("th", { scope: "col" }, "Product"), h("th", { scope: "col", class: "num" }, "Quantity")),
      ),
      h("tbody", {}, rows),
    ),
  );
}

/** An order's shipments, in the order the service planned them. */
export function shipmentsList(order) {
  if (!order.shipments.length) return h("p", { class: "empty" }, "No shipments.");
  const lines = new Map(order.lines.map((l) => [l.id, l]));
  return h(
    "ol",
    { class: "shipments" },
    order.shipments.map((shipment, i) => h("li", {}, shipmentSection(shipment, i + 1, lines))),
  );
}
