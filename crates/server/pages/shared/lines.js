// The lines of a cart, offer or order as a table, each drum right under the cable it is
// wound on (`parentLineId`), with the document's totals and an order's shipments. Both apps
// use it: purchase prices and margins are shown only when asked for (`margins: true`, the
// backoffice), and the controls only when their handler is given, so a line's flags decide
// what a person can do: a quantity-locked line has no quantity field, a non-removable line
// no delete button (docs/pages.md).

import { h, showError } from "./ui.js";

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
  return h("tr", { class: parent ? "child" : null, dataset: { lineId: line.id } }, cells);
}

function quantityCell(line, onQuantity, errors) {
  if (!onQuantity) return quantityText(line.quantity);
  if (!line.allowQuantityChange) {
    return [quantityText(line.quantity), h("div", { class: "hint" }, "fixed quantity")];
  }
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
      const ship =
        onShip && shipment.id && shipment.status === "READY"
          ? h("button", { type: "button", class: "primary", "aria-label": `Ship shipment ${index + 1}` }, "Ship")
          : null;
      ship?.addEventListener("click", () => {
        ship.disabled = true;
        run(() => onShip(shipment), errors).finally(() => (ship.disabled = false));
      });
      return h(
        "li",
        { class: "shipment" },
        h("h3", {}, title, " ", h("span", { class: `badge ${shipment.status}` }, statusWords(shipment.status))),
        h(
          "ul",
          {},
          shipment.lines.map((item) => {
            const line = byId.get(item.lineId);
            const unit = line ? line.quantity.unit : "";
            return h("li", {}, line ? `${line.name} (line ${line.position})` : item.lineId, `: ${item.quantity} ${unit}`.trimEnd());
          }),
        ),
        ship,
      );
    }),
  );
}

/** "WAITING_FOR_STOCK" → "Waiting for stock": a status is always written out, not only coloured. */
export function statusWords(status) {
  const text = String(status).toLowerCase().replaceAll("_", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}
