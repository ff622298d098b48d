// The customers' store, the OFE (docs/pages.md): a customer's person signs in, browses the
// catalog, fills the cart, reads their account and activity, accepts and orders offers, and
// follows their orders' shipments. Sale prices only: the API sends customer users nothing
// about what the merchant paid.

import { startApp } from "../common/shell.js";
import { h } from "../common/ui.js";
import * as account from "./account.js";
import { reportingActivity } from "./activity.js";
import * as cart from "./cart.js";
import * as catalog from "./catalog.js";
import * as offers from "./offers.js";
import * as orders from "./orders.js";

/** The "Account" menu: a disclosure button with the account's pages under it. */
function accountMenu() {
  const list = h(
    "ul",
    { id: "account-menu", class: "menu", hidden: true },
    h("li", {}, h("a", { href: "#/account" }, "Account details")),
  );
  const button = h(
    "button",
    { type: "button", "aria-expanded": "false", "aria-controls": "account-menu" },
    "Account",
  );
  const wrapper = h("div", { class: "account" }, button, list);
  const show = (open) => {
    list.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
  };
  button.addEventListener("click", () => show(list.hidden));
  list.addEventListener("click", () => show(false));
  wrapper.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !list.hidden) {
      show(false);
      button.focus();
    }
  });
  // Leaving the menu, by a click elsewhere or by Tab, closes it.
  document.addEventListener("click", (event) => {
    if (!wrapper.contains(event.target)) show(false);
  });
  wrapper.addEventListener("focusout", (event) => {
    if (event.relatedTarget && !wrapper.contains(event.relatedTarget)) show(false);
  });
  return wrapper;
}

startApp({
  app: "store",
  title: "orderpath store",
  role: "customer",
  home: "/catalog",
  nav: [
    ["Catalog", "#/catalog"],
    ["My offers", "#/offers"],
    ["My orders", "#/orders"],
  ],
  right: (state) => [accountMenu(), cart.cartButton(state)],
  routes: reportingActivity([
    ...catalog.routes,
    ...cart.routes,
    ...account.routes,
    ...offers.routes,
    ...orders.routes,
  ]),
});
