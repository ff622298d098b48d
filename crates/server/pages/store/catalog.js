// The catalog: active products, searched by a part of the SKU or the name, each with a
// quantity to add to the customer's cart (`POST /carts/{id}/products`); a cable can also be
// cut to length with the cable calculator, its cuts added with their drums.

import { query } from "../common/api.js";
import { isDecimal } from "../common/money.js";
import { cableCalculator } from "../common/calculator.js";
import { busy, field, h, modal, pager, render, showError } from "../common/ui.js";
import { cartIdForAdding, showCount } from "./cart.js";
import { setTitle } from "./parts.js";

const PAGE = 20;

function productRow(product, state, status) {
  const titleId = `p-${product.id}`;
  const quantity = h("input", {
    inputmode: product.quantityType === "UNIT" ? "numeric" : "decimal",
    value: "1",
    size: 6,
  });
  const add = h("button", { type: "submit", class: "primary" }, "Add to cart");
  const errors = h("div");
  const form = h(
    "form",
    { class: "row add" },
    field(`Quantity (${product.unit})`, quantity),
    add,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = quantity.value.trim();
    if (!isDecimal(value) || Number(value) <= 0) {
      showError(errors, new Error("The quantity must be a number greater than 0."));
      quantity.focus();
      return;
    }
    const cart = await busy(
      add,
      async () => {
        const cartId = await cartIdForAdding(state);
        return state.api.post(`/carts/${cartId}/products`, {
          productId: product.id,
          quantity: { type: product.quantityType, value },
        });
      },
      errors,
    );
    if (!cart) return;
    showCount(state, cart);
    status.textContent = `Added ${value} ${product.unit} of ${product.name} to your cart.`;
  });
  const cut = product.kind === "CABLE" ? cutToLength(product, state, status) : null;
  return h(
    "article",
    { class: "product", "aria-labelledby": titleId },
    h(
      "div",
      { class: "about" },
      h("h2", { id: titleId }, product.name),
      h("div", { class: "muted small" }, `SKU ${product.sku}`),
      h(
        "p",
        {},
        h("strong", {}, `${product.netPrice} ${product.currency}`),
        ` net per ${product.unit} · VAT ${product.vatRate} % · `,
        Number(product.free) > 0 ? `${product.free} ${product.unit} available` : "on order",
      ),
    ),
    h("div", { class: "row" }, form, cut),
    errors,
  );
}

/**
 * "Cut to length…": the cable calculator in a dialog, for this cable. The cuts and their
 * drums go to the open cart, or to a new one when there is none (made only on "Add to cart").
 */
function cutToLength(product, state, status) {
  // Named by its visible words, like "Add to cart": the product card around it says which.
  const button = h("button", { type: "button" }, "Cut to length…");
  button.addEventListener("click", () => {
    const opened = modal(
      `Cut ${product.name} to length`,
      cableCalculator(state.api, {
        cableProductId: product.id,
        cartId: () => cartIdForAdding(state),
        onAdded: (cart) => {
          opened.close();
          showCount(state, cart);
          status.textContent = `Added the cuts of ${product.name}, each on its drum, to your cart.`;
        },
      }),
    );
  });
  return button;
}

/** `#/catalog?search=`: the search form and a page of matching active products. */
export async function catalogView(params, main, state) {
  setTitle(params.search ? `Catalog: ${params.search}` : "Catalog");
  const search = h("input", { type: "search", value: params.search || "", autocomplete: "off" });
  const form = h(
    "form",
    { class: "row", role: "search" },
    field("Search products", search),
    h("button", { type: "submit" }, "Search"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    location.hash = "#/catalog" + query({ search: search.value.trim() });
  });
  const status = h("p", { role: "status", class: "ok" });
  const list = h("div", { class: "products" });
  render(
    main,
    h(
      "div",
      { class: "panel" },
      h("h1", {}, "Catalog"),
      form,
      status,
      params.search ? h("p", { class: "muted" }, `Products matching “${params.search}”`) : null,
      list,
    ),
  );
  const filters = { search: params.search, active: "true", limit: PAGE };
  await pager(
    list,
    (cursor) => state.api.get("/products" + query({ ...filters, cursor })),
    (product) => productRow(product, state, status),
    { empty: params.search ? "No product matches this search." : "The catalog is empty." },
  );
}

export const routes = [["/catalog", catalogView]];
