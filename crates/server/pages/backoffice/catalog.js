// Catalog (docs/pages.md): the products as staff see them, with purchase prices and the
// stock picture (on hand, reserved by ready shipments, free), searched and filtered.

import { query } from "../common/api.js";
import { field, h, render, tablePager } from "../common/ui.js";

const KINDS = [
  ["", "All kinds"],
  ["STANDARD", "Standard"],
  ["CABLE", "Cable"],
  ["DRUM", "Drum"],
];

async function view(params, main, { api }) {
  const search = h("input", { type: "search", value: params.search || "", autocomplete: "off", placeholder: "SKU or name" });
  const kind = h("select", {}, KINDS.map(([value, label]) => h("option", { value }, label)));
  kind.value = params.kind || "";
  const submit = h("button", { type: "submit", class: "primary" }, "Search");
  const results = h("div");
  const form = h(
    "form",
    { class: "row", role: "search", "aria-label": "Products" },
    field("Search products", search),
    field("Kind", kind),
    h("div", { class: "field" }, submit),
  );
  render(main, h("section", { class: "panel", "aria-labelledby": "catalog-title" }, h("h1", { id: "catalog-title" }, "Catalog"), form, results));

  async function show() {
    const filter = { search: search.value.trim(), kind: kind.value };
    // The address keeps the filter, so a reload or a shared link shows the same list.
    history.replaceState(null, "", "#/catalog" + query(filter));
    await tablePager(
      results,
      ["SKU", "Name", "Kind", ["Net price", "num"], ["Purchase price", "num"], ["Stock", "num"], ["Reserved", "num"], ["Free", "num"]],
      (cursor) => api.get("/products" + query({ ...filter, cursor })),
      row,
      { empty: filter.search || filter.kind ? "No product matches." : "No products yet.", caption: "Products" },
    ).ready;
  }
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    show();
  });
  kind.addEventListener("change", show);
  await show();
}

function row(p) {
  const free = Number(p.free);
  return h(
    "tr",
    {},
    h("td", {}, p.sku),
    h("td", {}, p.name, p.active ? null : [" ", h("span", { class: "badge INACTIVE" }, "inactive")]),
    h("td", {}, p.kind),
    h("td", { class: "num" }, `${p.netPrice} ${p.currency}`),
    h("td", { class: "num" }, `${p.purchasePrice} ${p.currency}`),
    h("td", { class: "num" }, `${p.stock} ${p.unit}`),
    h("td", { class: "num" }, `${p.reserved} ${p.unit}`),
    // Negative when the ERP counted less than is reserved: said in words, not only in colour.
    h("td", { class: free < 0 ? "num negative" : "num" }, `${p.free} ${p.unit}`, free < 0 ? " (short)" : null),
  );
}

export const routes = [["/catalog", view]];
