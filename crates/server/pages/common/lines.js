// The lines of a cart, offer or order as a table, each drum right under the cable it is
// wound on (`parentLineId`), with the document's totals and an order's shipments. Both apps
// use it: purchase prices and margins are shown only when asked for (`margins: true`, the
// backoffice; the store never has them), and the controls only when their handler is given,
// so a line's flags decide what a person can do: a quantity-locked line has no quantity
// field, a non-removable line no delete button; the flags are also written out in words
// (docs/pages.md).

import { h, render, showError } from "./ui.js";

/** Lines in tree order: each top line by position, followed by its children by position. */
export function lineTree(lines) {
  const byPosition = [...lines].sort((a, b) => a.position - b.position);
  const ids = new Set(lines.map((line) => line.id));
  const children = new Map();
  for (const line of byPosition) {
    if (line.parentLineId && ids.has(line.parentLineId)) {
      if (!children.has(line.parentLineId)) children.set(line.parentLineId, []);
      children.get(line.parentLineId).push(line);
    }
  }
  const ordered = [];
  const visit = (line, depth, parent) => {
    ordered.push({ line, depth, parent });
    for (const child of children.get(line.id) || []) visit(child, depth + 1, line);
  };
  for (const line of byPosition) {
    if (!line.parentLineId || !ids.has(line.parentLineId)) visit(line, 0, null);
  }
  return ordered;
}

/** "120.5 m". */
export function quantityText(quantity) {
  return `${quantity.value} ${quantity.unit || ""}`.trim();
}

/** How a line is named to assistive technology: "line 3, YKY 3x2.5 cable". */
export function lineLabel(line) {
  return `line ${line.position}, ${line.name}`;
}

/**
 * The lines as a `<table>`. Options:
 * - `caption`: the table's caption (default "Lines");
 * - `margins`: also show purchase price, margin and margin % (backoffice only);
 * - `onQuantity(line, value)`: async; offers a quantity field on lines that allow it;
 * - `onDelete(line)`: async; offers a delete button on removable lines;
 * - `onPrice(line)`: offers an "Edit price" button on every line;
 * - `errors`: where a failed change shows the server's problem (else it is thrown).
 * Rows are built in a DocumentFragment and attached once: a 200-line cart renders at once.
 * `updateLinesTable` later redraws only the rows whose line changed.
 */
export function linesTable(lines, options = {}) {
  const { caption = "Lines", margins = false, onQuantity, onDelete, onPrice, errors } = options;
  const actions = Boolean(onDelete || onPrice);
  const head = [
    th("#", "num"),
    th("Product"),
    th("Quantity", "num"),
    th("Unit price", "num"),
    margins ? th("Purchase price", "num") : null,
    th("Net", "num"),
    th("VAT", "num"),
    th("Gross", "num"),
    margins ? [th("Margin", "num"), th("Margin %", "num")] : null,
    actions ? th("Actions") : null,
  ];
  const rows = document.createDocumentFragment();
  for (const { line, parent } of lineTree(lines)) {
    rows.append(row(line, parent, { margins, onQuantity, onDelete, onPrice, errors, actions }));
  }
  if (!lines.length) {
    rows.append(h("tr", {}, h("td", { colspan: String(head.flat().filter(Boolean).length), class: "empty" }, "No lines yet.")));
  }
  const body = h("tbody");
  body.append(rows);
  return h("table", { class: "lines" }, h("caption", { class: "visually-hidden" }, caption), h("thead", {}, h("tr", {}, head)), body);
}

/**
 * Brings a table made by `linesTable` (with the same options) up to date with `lines`,
 * replacing only the rows whose line changed: after a quantity change that is one row, so
 * the browser restyles one row instead of hundreds. Answers false, changing nothing, when
 * lines were added, removed or moved: the caller then draws the table anew.
 */
export function updateLinesTable(table, lines, options = {}) {
  const { margins = false, onQuantity, onDelete, onPrice, errors } = options;
  const tree = lineTree(lines);
  const rows = table.tBodies[0].rows;
  if (!lines.length || rows.length !== tree.length) return false;
  for (let i = 0; i < tree.length; i++) {
    if (rows[i].dataset.lineId !== tree[i].line.id) return false;
  }
  const actions = Boolean(onDelete || onPrice);
  tree.forEach(({ line, parent }, i) => {
    if (rows[i].lineKey === rowKey(line, parent)) return;
    rows[i].replaceWith(row(line, parent, { margins, onQuantity, onDelete, onPrice, errors, actions }));
  });
  return true;
}

/**
 * Answers `show(lines, options)`, which draws the lines table into `slot` and afterwards
 * keeps it up to date: a change to one line redraws that row only (`updateLinesTable`), and
 * the whole table is drawn anew when lines were added, removed or moved, or when the
 * controls offered changed (a cart no longer open). Handlers of the rows kept must read
 * the document anew when used, not the one they were made for.
 */
export function linesInto(slot) {
  let table = null;
  let shape = null;
  return (lines, options = {}) => {
    const now = [options.margins, options.onQuantity, options.onDelete, options.onPrice].map(Boolean).join();
    if (!(table && shape === now && updateLinesTable(table, lines, options))) {
      table = linesTable(lines, options);
      render(slot, table);
    }
    shape = now;
  };
}

/** What a row shows of its line: equal keys draw equal rows. */
function rowKey(line, parent) {
  return JSON.stringify([line, parent?.position]);
}

function th(text, cls) {
  return h("th", { scope: "col", class: cls }, text);
}

function row(line, parent, { margins, onQuantity, onDelete, onPrice, errors, actions }) {
  const name = h(
    "td",
    { class: "product" },
    line.name,
    " ",
    h("span", { class: "muted sku" }, line.sku),
    parent ? h("span", { class: "visually-hidden" }, ` (on line ${parent.position})`) : null,
    flagNotes(line),
  );
  const price = h(
    "td",
    { class: "num" },
    line.unitPrice,
    line.priceOverridden ? h("div", { class: "hint" }, `edited; catalog ${line.catalogUnitPrice}`) : null,
  );
  const cells = [
    h("td", { class: "num" }, String(line.position)),
    name,
    h("td", { class: "num" }, quantityCell(line, onQuantity, errors)),
    price,
    margins ? h("td", { class: "num" }, line.purchasePrice ?? "") : null,
    h("td", { class: "num" }, line.netTotal),
    h("td", { class: "num" }, line.vatTotal),
    h("td", { class: "num" }, line.grossTotal),
    margins ? [h("td", { class: "num" }, line.margin ?? ""), h("td", { class: "num" }, percent(line.marginPercent))] : null,
    actions ? h("td", { class: "actions" }, actionButtons(line, onDelete, onPrice, errors)) : null,
  ];
  const tr = h("tr", { class: parent ? "child" : null, dataset: { lineId: line.id } }, cells);
  tr.lineKey = rowKey(line, parent);
  return tr;
}

/** What the line's flags mean, in words (never colour or a missing control alone). */
function flagNotes(line) {
  const notes = [];
  if (!line.allowQuantityChange) notes.push("fixed quantity");
  if (!line.removable) notes.push("cannot be removed");
  if (!line.allowQuantitySplitting) notes.push("delivered complete");
  return notes.length ? h("span", { class: "hint flags" }, notes.join(" · ")) : null;
}

function quantityCell(line, onQuantity, errors) {
  if (!onQuantity || !line.allowQuantityChange) return quantityText(line.quantity);
  const input = h("input", {
    id: `qty-${line.id}`,
    class: "qty",
    inputmode: "decimal",
    value: line.quantity.value,
    "aria-label": `Quantity of ${lineLabel(line)} (${line.quantity.unit})`,
  });
  // `change` fires on Enter and on leaving the field: one request per edit, not per key.
  input.addEventListener("change", () => {
    const value = input.value.trim();
    if (value === line.quantity.value) return;
    input.setAttribute("aria-busy", "true");
    run(() => onQuantity(line, value), errors).finally(() => input.removeAttribute("aria-busy"));
  });
  return [input, " ", h("span", { class: "muted" }, line.quantity.unit)];
}

function actionButtons(line, onDelete, onPrice, errors) {
  const buttons = [];
  if (onPrice) {
    buttons.push(
      h("button", { type: "button", id: `price-${line.id}`, "aria-label": `Edit price of ${lineLabel(line)}`, onclick: () => onPrice(line) }, "Price…"),
    );
  }
  if (onDelete && line.removable) {
    const remove = h("button", { type: "button", class: "danger", id: `delete-${line.id}`, "aria-label": `Delete ${lineLabel(line)}` }, "Delete");
    remove.addEventListener("click", () => {
      remove.disabled = true;
      run(() => onDelete(line), errors).finally(() => (remove.disabled = false));
    });
    buttons.push(remove);
  }
  return buttons;
}

async function run(action, errors) {
  if (errors) showError(errors, null);
  try {
    await action();
  } catch (error) {
    if (!errors) throw error;
    showError(errors, error);
  }
}

function percent(value) {
  return value === null || value === undefined ? "—" : `${value} %`;
}

/**
 * A document's totals as a definition list: net, VAT, gross, and with `margins` the
 * purchase total, margin and margin %.
 */
export function totalsList(totals, { currency = "", margins = false } = {}) {
  const money = (value) => (value === null || value === undefined ? "—" : `${value} ${currency}`.trim());
  const pairs = [
    ["Net", money(totals.netTotal)],
    ["VAT", money(totals.vatTotal)],
    ["Gross", money(totals.grossTotal)],
  ];
  if (margins) {
    pairs.push(["Purchase total", money(totals.purchaseTotal)], ["Margin", money(totals.margin)], ["Margin %", percent(totals.marginPercent)]);
  }
  return h("dl", { class: "totals", "aria-label": "Totals" }, pairs.map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]));
}

/**
 * An order's shipments (or a planned order's), each with its status in words and its lines;
 * `onShip(shipment)` (async) offers "Ship" on the READY ones that have an id.
 */
export function shipmentList(shipments, lines, { onShip, errors } = {}) {
  const byId = new Map(lines.map((line) => [line.id, line]));
  if (!shipments.length) return h("p", { class: "empty" }, "No shipments.");
  return h(
    "ol",
    { class: "shipments" },
    shipments.map((shipment, index) => {
      const title = `Shipment ${index + 1}`;
      const titleId = `shipment-${index + 1}-${Math.random().toString(36).slice(2, 7)}`;
      const ship =
        onShip && shipment.id && shipment.status === "READY"
          ? h("button", { type: "button", class: "primary", "aria-label": `Ship shipment ${index + 1}` }, "Ship")
          : null;
      ship?.addEventListener("click", () => {
        ship.disabled = true;
        run(() => onShip(shipment), errors).finally(() => (ship.disabled = false));
      });
      const carried = shipment.lines.map((item) => {
        const line = byId.get(item.lineId);
        const unit = line ? line.quantity.unit : "";
        return h("li", {}, line ? `${line.name} (line ${line.position})` : item.lineId, `: ${item.quantity} ${unit}`.trimEnd());
      });
      const badge = h("span", { class: `badge ${shipment.status}` }, statusWords(shipment.status));
      // A region named "Shipment 1 Ready": a screen reader's user can jump between shipments.
      return h(
        "li",
        { class: "shipment" },
        h("section", { "aria-labelledby": titleId }, h("h3", { id: titleId }, title, " ", badge), h("ul", {}, carried), ship),
      );
    }),
  );
}

/** "WAITING_FOR_STOCK" → "Waiting for stock": a status is always written out, not only coloured. */
export function statusWords(status) {
  const text = String(status).toLowerCase().replaceAll("_", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}
