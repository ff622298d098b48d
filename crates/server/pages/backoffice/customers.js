// Customers (docs/pages.md).

import { h, render } from "../shared/ui.js";

async function view(params, main) {
  render(main, h("div", { class: "panel" }, h("h1", {}, "Customers")));
}

export const routes = [["/customers", view]];
