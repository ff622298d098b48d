// The customers' store, the OFE (docs/pages.md): a customer's person signs in, browses the
// catalog, fills the cart, and reads, accepts and orders offers. It never shows a purchase
// price or a margin: the API does not send them to customer users.

import { startApp } from "../shared/shell.js";
import { h, render } from "../shared/ui.js";

async function catalog(params, main) {
  render(main, h("div", { class: "panel" }, h("h1", {}, "Catalog")));
}

startApp({
  app: "store",
  title: "orderpath store",
  role: "customer",
  home: "/catalog",
  nav: [["Catalog", "#/catalog"]],
  routes: [["/catalog", catalog]],
});
