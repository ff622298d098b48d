// The cart view (`#/carts/:id`): the lines as a tree with the controls their flags allow,
// totals with purchase total and margin, adding products from the catalog, the cable
// calculator, the price modal, making an offer, and placing the order after seeing the
// shipment plan.

import { query } from "../common/api.js";
import { cableCalculator } from "../common/calculator.js";
import { linesInto, shipmentList, totalsList } from "../common/lines.js";
import { busy, field, h, keepFocus, modal, render } from "../common/ui.js";
import { heading, readCustomer, timed } from "./document-parts.js";
import { openPriceModal } from "./price-modal.js";

export async function cartView(params, main, { api }) {
  let cart = await api.get(`/carts/${params.id}`);
  const customer = await readCustomer(api, cart.customerId);
  const path = `/carts/${cart.id}`;
  const top = h("div");
  const errors = h("div");
  const linesTitle = h("h2", { tabindex: "-1" }, "Lines");
  const lines = h("div", { class: "scroll" });
  const totals = h("div");
  const actions = h("div", { class: "actions-bar" });
  const adding = h("div", { class: "panel" });
  const showLines = linesInto(lines);

  // Every change names the version this view shows: a change made elsewhere meanwhile is
  // refused (412) and the view reloads the cart instead of overwriting it.
  const version = () => ({ ifMatch: `"${cart.version}"` });
  async function change(action) {
    try {
      show(await action());
    } catch (error) {
      if (error.status !== 412) throw error;
      show(await api.get(path));
      throw new Error(`This cart was changed elsewhere meanwhile; it now shows as it is. Make your change again. (${error.message})`);
    }
  }

  function show(next) {
    cart = next;
    const open = cart.status === "OPEN";
    keepFocus(() => {
      render(top, heading("Cart", cart, customer, ` · source ${cart.source}`));
      timed("orderpath:cart-render", () => {
        showLines(cart.lines, {
          caption: "Cart lines",
          margins: true,
          errors,
          onQuantity: open
            ? (line, value) => change(() => api.patch(`${path}/lines/${line.id}`, { quantity: { type: line.quantity.type, value } }, version()))
            : null,
          onDelete: open ? (line) => change(() => api.del(`${path}/lines/${line.id}`, version())) : null,
          onPrice: open ? (line) => openPriceModal(api, { kind: "carts", doc: cart, line, onSaved: show, onClose: refocus(line) }) : null,
        });
        render(totals, totalsList(cart.totals, { currency: cart.currency, margins: true }));
      }, lines);
      render(actions, open ? actionButtons() : h("p", { class: "muted" }, "This cart was ordered; it cannot change any more."));
      adding.hidden = !open;
    }, linesTitle);
  }

  // The row was drawn anew while the modal was open: its new "Price…" button gets the focus.
  const refocus = (line) => () => document.getElementById(`price-${line.id}`)?.focus();

  function actionButtons() {
    const calculator = h("button", { type: "button" }, "Cable calculator");
    calculator.addEventListener("click", () => {
      const opened = modal(
        "Cable calculator",
        cableCalculator(api, {
          cartId: cart.id,
          onAdded: (updated) => {
            opened.close();
            show(updated);
          },
        }),
      );
    });
    const offer = h("button", { type: "button" }, "Make offer");
    offer.addEventListener("click", async () => {
      const made = await busy(offer, () => api.post(`${path}/offer`, {}), errors);
      if (made) location.hash = `#/offers/${made.id}`;
    });
    const order = h("button", { type: "button", class: "primary" }, "Place order…");
    order.addEventListener("click", () => busy(order, placeOrder, errors));
    return [calculator, offer, order];
  }

  async function placeOrder() {
    const plan = await api.get(`${path}/shipment-plan`);
    const confirm = h("button", { type: "button", class: "primary" }, "Place order");
    const problems = h("div");
    const opened = modal(
      "Place the order",
      h(
        "div",
        {},
        h("p", {}, `Net ${cart.totals.netTotal} ${cart.currency}, gross ${cart.totals.grossTotal} ${cart.currency}. Placing the order now would ship:`),
        shipmentList(plan.shipments, cart.lines),
        problems,
        confirm,
      ),
    );
    confirm.addEventListener("click", async () => {
      const placed = await busy(confirm, () => api.post(`${path}/order`, undefined, version()), problems);
      if (!placed) return;
      opened.close();
      location.hash = `#/orders/${placed.id}`;
    });
  }

  render(
    main,
    h("div", { class: "panel" }, top, actions, errors),
    h("div", { class: "panel" }, linesTitle, lines, totals),
    adding,
  );
  productFinder(api, adding, (product, quantity) =>
    change(() => api.post(`${path}/products`, { productId: product.id, quantity: { type: product.quantityType, value: quantity } }, version())),
  );
  show(cart);
}

/** "Add a product": search the active catalog, then add a quantity of one of the results. */
function productFinder(api, slot, add) {
  const search = h("input", { type: "search", autocomplete: "off" });
  const results = h("div");
  const problems = h("div");
  const find = h("button", { type: "submit" }, "Search");
  const form = h(
    "form",
    { role: "search", class: "row", "aria-label": "Catalog" },
    field("Find a product", search, "A part of the SKU or the name."),
    h("div", { class: "field" }, find),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const page = await busy(find, () => api.get(`/products${query({ search: search.value.trim(), active: "true", limit: 20 })}`), problems);
    if (!page) return;
    render(
      results,
      page.items.length ? page.items.map((product) => productRow(product)) : h("p", { class: "empty" }, "No active product matches."),
    );
  });
  function productRow(product) {
    const quantity = h("input", { class: "qty", inputmode: "decimal", value: "1", "aria-label": `Quantity of ${product.name} (${product.unit})` });
    const button = h("button", { type: "button", "aria-label": `Add ${product.name}` }, "Add");
    button.addEventListener("click", () => busy(button, () => add(product, quantity.value.trim()), problems));
    return h(
      "div",
      { class: "item row" },
      h("span", {}, h("strong", {}, product.name), " ", h("span", { class: "muted" }, `${product.sku} · ${product.netPrice} ${product.currency}/${product.unit} · free ${product.free}`)),
      quantity,
      button,
    );
  }
  render(slot, h("h2", {}, "Add a product"), form, problems, results);
}
