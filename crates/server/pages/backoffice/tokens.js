// API tokens (docs/pages.md, docs/people.md): machine tokens for the ERP, partner systems
// and scripts. A new token is shown once, right after it is made; revoking one stops it at
// once on every instance.

import { ApiError } from "../common/api.js";
import { busy, field, h, modal, render, showError, tablePager, when } from "../common/ui.js";

const ROLES = [
  ["integration", "Integration (ERP, partner systems)"],
  ["backoffice", "Backoffice (staff tools)"],
  ["customer", "Customer (one customer's store)"],
];

async function view(params, main, { api }) {
  const created = h("div");
  const list = h("div");
  let pager = null;
  const title = h("h2", { id: "tokens-title", tabindex: "-1" }, "Tokens");
  const form = createForm(api, (issued) => {
    render(created, issuedPanel(issued));
    pager.reload();
  });
  render(
    main,
    h("h1", {}, "API tokens"),
    form,
    created,
    h("section", { class: "panel", "aria-labelledby": "tokens-title" }, title, list),
  );
  pager = tablePager(
    list,
    ["Name", "Role", "Customer", "Created", "State", "Action"],
    (cursor) => api.get("/tokens" + (cursor ? `?cursor=${encodeURIComponent(cursor)}` : "")),
    // After a revocation its button is gone: the focus goes to the list's heading.
    (token) => row(api, token, () => pager.reload().then(() => title.focus())),
    { empty: "No tokens yet.", caption: "API tokens" },
  );
  await pager.ready;
}

function createForm(api, onCreated) {
  const name = h("input", { type: "text", required: true, maxlength: 200, autocomplete: "off" });
  const role = h("select", {}, ROLES.map(([value, label]) => h("option", { value }, label)));
  const customer = h("input", { type: "text", autocomplete: "off", placeholder: "00000000-0000-0000-0000-000000000000" });
  const customerField = field("Customer id", customer, "The customer whose store this token acts for (the id on the customer's page).");
  customerField.hidden = true;
  role.addEventListener("change", () => (customerField.hidden = role.value !== "customer"));
  const errors = h("div");
  const submit = h("button", { type: "submit", class: "primary" }, "Create token");
  const form = h(
    "form",
    { class: "panel", "aria-labelledby": "new-token-title", novalidate: true },
    h("h2", { id: "new-token-title" }, "Create a token"),
    field("Name", name),
    field("Role", role),
    customerField,
    errors,
    submit,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = { name: name.value.trim(), role: role.value };
    if (role.value === "customer") body.customerId = customer.value.trim() || null;
    try {
      const issued = await busy(submit, () => api.post("/tokens", body));
      showError(errors, null);
      for (const control of [name, customer]) control.removeAttribute("aria-invalid");
      form.reset();
      customerField.hidden = true;
      onCreated(issued);
    } catch (error) {
      showError(errors, error);
      const named = error instanceof ApiError ? error.fields : {};
      for (const [control, key] of [[name, "name"], [customer, "customerId"]]) {
        if (named[key]) control.setAttribute("aria-invalid", "true");
        else control.removeAttribute("aria-invalid");
      }
    }
  });
  return form;
}

/** The token just made: the only time anyone sees it. */
function issuedPanel(issued) {
  const secret = h("input", { type: "text", readonly: true, value: issued.token, class: "secret", id: "new-token" });
  const copy = h("button", { type: "button" }, "Copy token");
  const said = h("span", { role: "status" });
  copy.addEventListener("click", async () => {
    secret.select();
    try {
      await navigator.clipboard.writeText(issued.token);
      said.textContent = "Copied to the clipboard.";
    } catch {
      // Without clipboard access the token is selected: Ctrl+C copies it.
      said.textContent = "Selected: press Ctrl+C to copy it.";
    }
  });
  const panel = h(
    "section",
    { class: "panel outcome good", "aria-labelledby": "issued-title" },
    h("h2", { id: "issued-title" }, `Token ${issued.name} created`),
    h("p", {}, "Copy it now: it is shown only this once. Whoever holds it acts as ", h("strong", {}, issued.role), "."),
    h("div", { class: "field" }, h("label", { for: "new-token" }, "New token"), secret),
    h("div", { class: "row" }, copy, said),
  );
  queueMicrotask(() => secret.focus());
  return panel;
}

function row(api, token, changed) {
  const revoked = Boolean(token.revokedAt);
  let action = null;
  if (!revoked) {
    action = h("button", { type: "button", class: "danger" }, "Revoke");
    action.setAttribute("aria-label", `Revoke token ${token.name}`);
    action.addEventListener("click", () => confirmRevoke(api, token, changed));
  }
  return h(
    "tr",
    {},
    h("td", {}, token.name),
    h("td", {}, token.role),
    h("td", {}, token.customerId ? h("a", { href: `#/customers/${token.customerId}` }, token.customerId) : h("span", { class: "muted" }, "—")),
    h("td", {}, when(token.createdAt)),
    h("td", {}, revoked ? [h("span", { class: "badge REJECTED" }, "Revoked"), " ", when(token.revokedAt)] : h("span", { class: "badge ACTIVE" }, "Active")),
    h("td", {}, action),
  );
}

function confirmRevoke(api, token, changed) {
  const errors = h("div");
  const yes = h("button", { type: "button", class: "danger" }, "Revoke");
  const no = h("button", { type: "button" }, "Cancel");
  const { close } = modal(
    `Revoke token ${token.name}?`,
    h("div", {}, h("p", {}, "Every system using it is refused from now on. This cannot be undone: a new token would have to be made and configured."), errors, h("div", { class: "row" }, no, yes)),
  );
  no.addEventListener("click", close);
  yes.addEventListener("click", async () => {
    const done = await busy(yes, () => api.del(`/tokens/${token.id}`), errors);
    if (done) {
      close();
      changed();
    }
  });
}

export const routes = [["/tokens", view]];
