// The price-editing modal of one cart or offer line (docs/api.md, Line prices): sale price,
// purchase price and a reason; net, margin and margin % follow the typing, computed with the
// server's rounding (common/money.js) so what is shown is what will be stored; Save, Restore
// catalog prices, and the line's edit history.

import { lineLabel, quantityText } from "../common/lines.js";
import { isDecimal, lineTotals } from "../common/money.js";
import { busy, field, h, modal, render, showError, when } from "../common/ui.js";

/**
 * Opens the modal. `kind` is "carts" or "offers"; `doc` the document as last read; `line` one
 * of its lines; `onSaved(doc)` receives the document the server answers after a save or a
 * restore (the modal stays open on the updated line); `onClose()` runs when it closes.
 */
export function openPriceModal(api, { kind, doc, line, onSaved, onClose }) {
  const base = `/${kind}/${doc.id}/lines/${line.id}/price`;
  let current = { doc, line };
  const unitPrice = h("input", { inputmode: "decimal", autocomplete: "off", value: line.unitPrice });
  const purchasePrice = h("input", { inputmode: "decimal", autocomplete: "off", value: line.purchasePrice ?? "" });
  const reason = h("textarea", { rows: "2", maxlength: "500" });
  const net = h("dd", { id: "price-net" });
  const margin = h("dd", { id: "price-margin" });
  const marginPercent = h("dd", { id: "price-margin-percent" });
  const status = h("p", { role: "status", class: "ok" });
  const errors = h("div");
  const save = h("button", { type: "submit", class: "primary" }, "Save");
  const restore = h("button", { type: "button" }, "Restore catalog prices");
  const history = h("div");
  const summary = h("p", { class: "muted" });

  function preview() {
    const totals = lineTotals(unitPrice.value, purchasePrice.value, current.line.quantity.value);
    const currency = current.doc.currency;
    render(net, totals ? `${totals.netTotal} ${currency}` : "—");
    render(margin, totals ? `${totals.margin} ${currency}` : "—");
    render(marginPercent, totals ? (totals.marginPercent === null ? "—" : `${totals.marginPercent} %`) : "—");
    unitPrice.setAttribute("aria-invalid", String(!isDecimal(unitPrice.value)));
    purchasePrice.setAttribute("aria-invalid", String(!isDecimal(purchasePrice.value)));
  }

  function showLine() {
    const l = current.line;
    render(
      summary,
      `${l.name} (${l.sku}), ${quantityText(l.quantity)}. Catalog sale price ${l.catalogUnitPrice}.`,
      l.priceOverridden ? " The price of this line was edited." : " Catalog prices.",
    );
    unitPrice.value = l.unitPrice;
    purchasePrice.value = l.purchasePrice ?? "";
    restore.disabled = !l.priceOverridden;
    preview();
  }

  async function loadHistory() {
    // The history is per document, oldest first; this line's part of it is shown.
    const edits = [];
    let cursor = null;
    do {
      const page = await api.get(`/${kind}/${doc.id}/price-edits?limit=500${cursor ? "&cursor=" + encodeURIComponent(cursor) : ""}`);
      edits.push(...page.items.filter((edit) => edit.lineId === line.id));
      cursor = page.nextCursor;
    } while (cursor);
    render(
      history,
      edits.length
        ? h(
            "table",
            {},
            h("caption", { class: "visually-hidden" }, "Edit history"),
            h("thead", {}, h("tr", {}, ["When", "Price", "From", "To", "Reason", "By"].map((t) => h("th", { scope: "col" }, t)))),
            h(
              "tbody",
              {},
              edits.map((e) =>
                h(
                  "tr",
                  {},
                  h("td", {}, when(e.at)),
                  h("td", {}, e.field === "UNIT_PRICE" ? "Sale" : "Purchase"),
                  h("td", { class: "num" }, e.oldValue),
                  h("td", { class: "num" }, e.newValue),
                  h("td", {}, e.reason || ""),
                  h("td", {}, e.actor),
                ),
              ),
            ),
          )
        : h("p", { class: "empty" }, "No edits of this line yet."),
    );
  }

  function updated(answer, message) {
    const line = answer.lines.find((l) => l.id === current.line.id);
    current = { doc: answer, line };
    reason.value = "";
    showLine();
    render(status, message);
    onSaved?.(answer);
    return loadHistory();
  }

  const form = h(
    "form",
    { class: "price-form" },
    summary,
    h("div", { class: "row" }, field("Sale price (unit)", unitPrice), field("Purchase price (unit)", purchasePrice)),
    field("Reason", reason),
    h(
      "dl",
      { class: "totals preview", "aria-label": "Line totals at these prices", "aria-live": "polite" },
      h("dt", {}, "Net"),
      net,
      h("dt", {}, "Margin"),
      margin,
      h("dt", {}, "Margin %"),
      marginPercent,
    ),
    errors,
    status,
    h("div", { class: "row" }, save, restore),
    h("h3", {}, "Edit history"),
    history,
  );
  unitPrice.addEventListener("input", preview);
  purchasePrice.addEventListener("input", preview);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    render(status);
    // Only what changed is sent: the history records real edits, not repeats.
    const body = {};
    if (unitPrice.value.trim() !== current.line.unitPrice) body.unitPrice = unitPrice.value.trim();
    if (purchasePrice.value.trim() !== (current.line.purchasePrice ?? "")) body.purchasePrice = purchasePrice.value.trim();
    if (!Object.keys(body).length) {
      showError(errors, new Error("Change the sale or the purchase price first."));
      return;
    }
    if (reason.value.trim()) body.reason = reason.value.trim();
    const answer = await busy(save, () => api.put(base, body, ifMatch()), errors);
    if (answer) await updated(answer, "Saved.");
  });
  restore.addEventListener("click", async () => {
    render(status);
    const answer = await busy(restore, () => api.del(base, ifMatch()), errors);
    if (answer) await updated(answer, "Catalog prices restored.");
  });

  // Carts are versioned: a change made elsewhere since this view read the cart is refused
  // (412) instead of silently overwritten.
  const ifMatch = () => (kind === "carts" ? { ifMatch: `"${current.doc.version}"` } : {});

  showLine();
  const opened = modal(`Price of ${lineLabel(line)}`, form, { onClose });
  loadHistory().catch((error) => showError(errors, error));
  return opened;
}
