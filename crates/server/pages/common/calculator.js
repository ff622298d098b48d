// The cable calculator (docs/api.md, Cable configurator), for the backoffice and the store:
// choose a cable, give the cuts you want (or a total length), see which drums the server
// proposes and what they cost, and add the cuts with their drums to a cart. It shows sale
// prices only (drum prices as sold): the store uses it too.

import { busy, field, h, render, showError } from "./ui.js";

/**
 * Answers an element holding the calculator. `cartId` is the cart the proposal goes to, or
 * an async function answering it (called on "Add to cart" only, so that merely calculating
 * starts no cart); `onAdded(cart)` receives the updated cart after "Add to cart".
 * `cableProductId` preselects a cable.
 */
export function cableCalculator(api, { cartId, onAdded, cableProductId } = {}) {
  const errors = h("div");
  const search = h("input", { type: "search", autocomplete: "off" });
  const find = h("button", { type: "button" }, "Find cables");
  const cable = h("select", { required: true }, h("option", { value: "" }, "Loading cables…"));
  const byCuts = h("input", { type: "radio", name: `calc-mode-${Math.random().toString(36).slice(2, 7)}`, value: "cuts", checked: true });
  const byTotal = h("input", { type: "radio", name: byCuts.name, value: "total" });
  const cuts = h("input", { autocomplete: "off", inputmode: "decimal", placeholder: "400, 400, 150" });
  const total = h("input", { autocomplete: "off", inputmode: "decimal", placeholder: "1250" });
  const cutsField = field("Cuts (m)", cuts, "Lengths separated by commas or spaces.");
  const totalField = field("Total length (m)", total, "The calculator chooses the cuts.");
  totalField.hidden = true;
  const calculate = h("button", { type: "submit", class: "primary" }, "Calculate");
  const proposal = h("div", { "aria-live": "polite" });
  const products = new Map(); // id → product, for drum names

  const showMode = () => {
    cutsField.hidden = !byCuts.checked;
    totalField.hidden = byCuts.checked;
  };
  byCuts.addEventListener("change", showMode);
  byTotal.addEventListener("change", showMode);

  async function loadCables() {
    const page = await api.get(`/products?kind=CABLE&active=true&limit=100${search.value.trim() ? "&search=" + encodeURIComponent(search.value.trim()) : ""}`);
    const previous = cable.value || cableProductId;
    // The preselected cable is offered even when the first page of cables leaves it out.
    if (previous && !page.items.some((p) => p.id === previous)) {
      const chosen = products.get(previous) || (await api.get(`/products/${previous}`));
      if (chosen.kind === "CABLE") page.items.unshift(chosen);
    }
    render(
      cable,
      page.items.length ? h("option", { value: "" }, "Choose a cable") : h("option", { value: "" }, "No cable found"),
      page.items.map((p) => {
        products.set(p.id, p);
        return h("option", { value: p.id }, `${p.name} (${p.sku}), ${p.netPrice} ${p.currency}/${p.unit}`);
      }),
    );
    if (previous && products.has(previous)) cable.value = previous;
    else if (page.items.length === 1) cable.value = page.items[0].id;
  }
  find.addEventListener("click", () => busy(find, loadCables, errors));
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      find.click();
    }
  });

  const form = h(
    "form",
    { class: "calculator", "aria-label": "Cable calculator" },
    h("div", { class: "row" }, field("Search cables", search), h("div", { class: "field" }, find)),
    field("Cable", cable),
    h(
      "fieldset",
      {},
      h("legend", {}, "Calculate from"),
      h("label", {}, byCuts, " Cuts"),
      " ",
      h("label", {}, byTotal, " Total length"),
    ),
    cutsField,
    totalField,
    errors,
    calculate,
    proposal,
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!cable.value) {
      showError(errors, new Error("Choose a cable first."));
      cable.focus();
      return;
    }
    const body = { cableProductId: cable.value };
    if (byCuts.checked) body.cuts = cuts.value.split(/[\s,;]+/).filter(Boolean);
    else body.totalLength = total.value.trim();
    const answer = await busy(calculate, () => api.post("/cable-calculator", body), errors);
    if (!answer) return;
    await busy(calculate, () => drumNames(answer), errors);
    showProposal(answer);
  });

  async function drumNames(answer) {
    const missing = [...new Set(answer.cuts.map((cut) => cut.drumProductId))].filter((id) => !products.has(id));
    const found = await Promise.all(missing.map((id) => api.get(`/products/${id}`)));
    for (const product of found) products.set(product.id, product);
  }

  function showProposal(answer) {
    const chosen = products.get(cable.value);
    const currency = chosen?.currency || "";
    const rows = answer.cuts.map((cut, index) =>
      h(
        "tr",
        {},
        h("td", { class: "num" }, String(index + 1)),
        h("td", { class: "num" }, `${cut.length} ${chosen?.unit || "m"}`),
        h("td", {}, products.get(cut.drumProductId)?.name || cut.drumProductId),
        h("td", { class: "num" }, `${cut.drumPrice} ${currency}`),
      ),
    );
    const add = h("button", { type: "button", class: "primary" }, "Add to cart");
    add.addEventListener("click", async () => {
      const cart = await busy(
        add,
        async () => {
          const id = typeof cartId === "function" ? await cartId() : cartId;
          return api.post(`/carts/${id}/add-configurable-products`, { configurableProducts: answer.configurableProducts.map(withFlags) });
        },
        errors,
      );
      if (cart) onAdded?.(cart);
    });
    render(
      proposal,
      h("h3", {}, "Proposal"),
      h(
        "table",
        { class: "proposal" },
        h("caption", { class: "visually-hidden" }, "Proposed cuts and drums"),
        h("thead", {}, h("tr", {}, ["Cut", "Length", "Drum", "Drum price"].map((t, i) => h("th", { scope: "col", class: i === 2 ? null : "num" }, t)))),
        h("tbody", {}, rows),
        h("tfoot", {}, h("tr", {}, h("th", { scope: "row", colspan: "3" }, "Drum cost"), h("td", { class: "num" }, `${answer.drumCost} ${currency}`))),
      ),
      cartId ? add : null,
    );
  }

  loadCables().catch((error) => showError(errors, error));
  return form;
}

/**
 * A cut as the cart keeps it (docs/pages.md): the cut's length is fixed and it ships whole,
 * but it can be removed (its drum goes with it); the drum belongs to the cut and can be
 * neither changed nor removed on its own. Flags the proposal sets itself are kept.
 */
export function withFlags(cut) {
  const fixed = (item, removable) => ({
    ...item,
    allowQuantityChange: item.allowQuantityChange ?? false,
    allowQuantitySplitting: item.allowQuantitySplitting ?? false,
    removable: item.removable ?? removable,
  });
  return { ...fixed(cut, true), children: (cut.children || []).map((child) => fixed(child, false)) };
}
