// Carts, offers and orders (docs/pages.md, Backoffice: customers and documents). Each view
// has its own file; this one puts their routes together.

import { cartView } from "./cart.js";
import { offerView } from "./offer.js";
import { orderView } from "./order.js";

export const routes = [
  ["/carts/:id", cartView],
  ["/offers/:id", offerView],
  ["/orders/:id", orderView],
];
