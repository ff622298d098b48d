// Event feed (docs/pages.md): every recorded event as GET /events lists it. The feed is
// oldest first and its cursor never runs out (docs/api.md, Lists and feeds): the page
// keeps it and asks again for what happened since, instead of starting over.

import { query } from "../common/api.js";
import { busy, field, h, render, when } from "../common/ui.js";

const LIMIT = 100;

/** Where the backoffice shows the document an id in an event's data names. */
const LINKS = { customerId: "#/customers/", cartId: "#/carts/", offerId: "#/offers/", orderId: "#/orders/" };

async function view(params, main, { api }) {
  const types = await api.get("/webhook-event-types");
  const type = h("select", {}, h("option", { value: "" }, "All types"), types.map((t) => h("option", { value: t.type }, t.type)));
  type.value = params.type || "";
  const body = h("tbody");
  const table = h(
    "table",
    {},
    h("caption", { class: "visually-hidden" }, "Events, oldest first"),
    h("thead", {}, h("tr", {}, ["Time", "Type", "Data"].map((c) => h("th", { scope: "col" }, c)))),
    body,
  );
  const empty = h("p", { class: "empty" }, "No events yet.");
  const progress = h("p", { class: "muted", role: "status" });
  const more = h("button", { type: "button" }, "Load more");
  const errors = h("div");
  let cursor = null;
  // A page asked for before the filter changed must not land in the new list.
  let generation = 0;

  async function next() {
    const asked = generation;
    const filter = { type: type.value };
    const page = await busy(more, () => api.get("/events" + query({ ...filter, cursor, limit: LIMIT })), errors);
    if (!page || asked !== generation) return;
    for (const event of page.items) body.append(row(event));
    cursor = page.nextCursor;
    empty.hidden = body.children.length > 0;
    table.hidden = !empty.hidden;
    const caughtUp = page.items.length < LIMIT;
    const count = `${body.children.length} event${body.children.length === 1 ? "" : "s"} shown`;
    progress.textContent = caughtUp ? `${count}, up to date as of ${new Date().toLocaleTimeString()}.` : `${count}; there are more.`;
    more.textContent = caughtUp ? "Check for new events" : "Load more";
  }

  function restart() {
    generation += 1;
    history.replaceState(null, "", "#/events" + query({ type: type.value }));
    body.replaceChildren();
    cursor = null;
    return next();
  }
  type.addEventListener("change", restart);
  more.addEventListener("click", next);

  render(
    main,
    h(
      "section",
      { class: "panel", "aria-labelledby": "events-title" },
      h("h1", { id: "events-title" }, "Events"),
      h("p", { class: "muted" }, "Everything that happened, oldest first, as integrations read it. New events are added at the end."),
      h("div", { class: "row" }, field("Event type", type)),
      errors,
      table,
      empty,
      progress,
      more,
    ),
  );
  await restart();
}

function row(event) {
  return h(
    "tr",
    {},
    h("td", {}, h("time", { datetime: event.occurredAt }, when(event.occurredAt))),
    h("td", {}, event.type, h("br"), h("small", { class: "muted" }, event.id)),
    h("td", { class: "data" }, data(event.data)),
  );
}

function data(values) {
  return h(
    "ul",
    { class: "kv" },
    Object.entries(values || {}).map(([key, value]) => {
      const shown = typeof value === "string" ? value : JSON.stringify(value);
      return h("li", {}, h("span", { class: "muted" }, `${key}: `), LINKS[key] ? h("a", { href: LINKS[key] + encodeURIComponent(shown) }, shown) : h("code", {}, shown));
    }),
  );
}

export const routes = [["/events", view]];
