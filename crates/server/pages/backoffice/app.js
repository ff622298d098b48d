// The backoffice console (docs/pages.md): merchant staff sign in and work with customers,
// carts, offers, orders, the catalog, webhooks, events and API tokens. Each area is a
// module that exports its `routes`; this file only puts them together.

import { startApp } from "../common/shell.js";
import * as catalog from "./catalog.js";
import * as customers from "./customers.js";
import * as documents from "./documents.js";
import * as events from "./events.js";
import * as tokens from "./tokens.js";
import * as webhooks from "./webhooks.js";

startApp({
  app: "backoffice",
  title: "orderpath backoffice",
  role: "backoffice",
  home: "/customers",
  nav: [
    ["Customers", "#/customers"],
    ["Catalog", "#/catalog"],
    ["Events", "#/events"],
    ["Configuration", "#/configuration/webhooks"],
    ["API tokens", "#/tokens"],
  ],
  routes: [
    ...customers.routes,
    ...documents.routes,
    ...catalog.routes,
    ...events.routes,
    ...webhooks.routes,
    ...tokens.routes,
  ],
});
