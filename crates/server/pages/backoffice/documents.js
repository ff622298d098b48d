// Carts, offers and orders (docs/pages.md).

import { h, render } from "../shared/ui.js";

async function view(params, main) {
  render(main, h("div", { class: "panel" }, h("h1", {}, `Document ${params.id}`)));
}

export const routes = [
  ["/carts/:id", view],
  ["/offers/:id", view],
  ["/orders/:id", view],
];
