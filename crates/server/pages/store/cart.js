// The customer's cart: the cart button in the top bar, and the cart view. A customer has
// one cart in use, its newest OPEN cart; the button opens it (`POST /carts/{id}/open`, which
// records CART_OPENED) or starts one (`POST /carts`, which records it too).

import { linesInto, totalsList } from "../common/lines.js";
import { isDecimal } from "../common/money.js";
import { errorBox, h, keepFocus, render } from "../common/ui.js";
import { itemCount, items, setTitle } from "./parts.js";

const SOURCE = "OFE";

/** The customer's newest open cart, read without recording anything; null when none. */
export async function findOpenCart(state) {
  const customerId = state.me.customerId;
  const page = await state.api.get(`/customers/${customerId}/carts?status=OPEN&limit=1`);
  return page.items[0] || null;
}

/** The id of the cart to add to: the open cart, or a new one when there is none. */
export async function cartIdForAdding(state) {
  const open = await findOpenCart(state);
  if (open) return open.id;
  const created = await state.api.post("/carts", { customerId: state.me.customerId, source: SOURCE });
  showCount(state, created);
  return created.id;
}

/** Shows the cart's item count on the cart button. */
export function showCount(state, cart) {
  state.cartCount?.(cart);
}

function go(hash) {
  // Setting the hash it already has fires no hashchange: draw the view again ourselves.
  if (location.hash === hash) window.onhashchange?.();
  else location.hash = hash;
}

/** The cart button of the top bar's right corner, with the number of items in the cart. */
export function cartButton(state) {
  const count = h("span", { class: "count" }, "0");
  const noun = h("span", { class: "visually-hidden" }, " items");
  const button = h("button", { type: "button", class: "cart-button" }, "Cart ", count, noun);
  state.cartCount = (cart) => {
    const n = itemCount(cart);
    count.textContent = String(n);
    noun.textContent = n === 1 ? " item" : " items";
  };
  button.addEventListener("click", async () => {
    // Not `busy()`: it rewrites the button's text, and the count lives inside it.
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    try {
      const open = await findOpenCart(state);
      const cart = open
        ? await state.api.post(`/carts/${open.id}/open`, { source: SOURCE })
        : await state.api.post("/carts", { customerId: state.me.customerId, source: SOURCE });
      showCount(state, cart);
      go(`#/cart/${cart.id}`);
    } catch (error) {
      const main = document.getElementById("main");
      if (main && error.status !== 401) render(main, h("div", { class: "panel" }, errorBox(error)));
    } finally {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
  });
  // The count at sign-in, read without opening the cart (no event).
  findOpenCart(state)
    .then((cart) => showCount(state, cart))
    .catch(() => {});
  return button;
}

/** `#/cart/:id`: the cart's lines, editable as their flags allow, and its totals. */
export async function cartView(params, main, state) {
  const { api } = state;
  const errors = h("div");
  const status = h("p", { role: "status", class: "muted" });
  let cart = await api.get(`/carts/${params.id}`);

  // Every change names the version it was made on: a cart changed meanwhile (in another
  // tab, or by the merchant) is refused with 412 instead of being overwritten, and shown
  // again as it is now, next to the reason, so the customer decides on what is there. A
  // refusal is thrown: the lines table shows it in `errors`.
  async function change(request, done) {
    status.textContent = "";
    let changed;
    try {
      changed = await request(`"${cart.version}"`);
    } catch (error) {
      if (error.status === 412 || error.problem?.code === "CART_NOT_OPEN") {
        const fresh = await api.get(`/carts/${cart.id}`).catch(() => null);
        if (fresh) {
          cart = fresh;
          draw();
        }
      }
      const stale = `Your cart was changed meanwhile; here it is as it is now. (${error.message})`;
      throw error.status === 412 ? new Error(stale) : error;
    }
    cart = changed;
    showCount(state, cart);
    draw();
    status.textContent = done;
  }

  // A quantity is sent on Enter or on leaving its field (common/lines.js).
  function onQuantity(line, value) {
    if (!isDecimal(value) || Number(value) <= 0) {
      throw new Error(`The quantity of ${line.name} must be a number greater than 0.`);
    }
    const body = { quantity: { type: line.quantity.type, value } };
    const request = (ifMatch) => api.patch(`/carts/${cart.id}/lines/${line.id}`, body, { ifMatch });
    return change(request, `${line.name}: quantity ${value} ${line.quantity.unit}.`);
  }

  function onDelete(line) {
    const request = (ifMatch) => api.del(`/carts/${cart.id}/lines/${line.id}`, { ifMatch });
    return change(request, `${line.name} removed.`);
  }

  // The view is drawn once; a change redraws the summary, the changed rows and the totals,
  // and the keyboard focus stays on the control that had it.
  const title = h("h1", { tabindex: "-1" }, "Your cart");
  const summary = h("p", { class: "muted" });
  const lines = h("div", { class: "scroll" });
  const totals = h("div");
  const findMore = h("p", {}, h("a", { href: "#/catalog" }, "Find products in the catalog"));
  const showLines = linesInto(lines);
  render(main, h("div", { class: "panel" }, title, summary, errors, status, lines, totals, findMore));

  function draw() {
    setTitle("Your cart");
    const open = cart.status === "OPEN";
    summary.textContent = open ? `${items(itemCount(cart))} · ${cart.currency}` : `This cart is ${cart.status.toLowerCase()}.`;
    findMore.hidden = !(open && !cart.lines.length);
    keepFocus(() => {
      showLines(cart.lines, {
        caption: "Lines of your cart",
        errors,
        onQuantity: open ? onQuantity : null,
        onDelete: open ? onDelete : null,
      });
      render(totals, totalsList(cart.totals, { currency: cart.currency }));
    }, title);
  }
  draw();
}

export const routes = [["/cart/:id", cartView]];
