// Configuration → Webhooks (docs/pages.md, docs/webhooks.md): the endpoints that receive
// events, a form to create or change one with a test send before saving, and an endpoint's
// delivery log with retries.

import { ApiError } from "../common/api.js";
import { busy, field, h, modal, render, showError, tablePager, when } from "../common/ui.js";

const LIST = "#/configuration/webhooks";

/** The page frame: a "Configuration" heading with its own navigation (only Webhooks so far). */
function frame(main, ...content) {
  render(
    main,
    h("h1", {}, "Configuration"),
    h("nav", { "aria-label": "Configuration", class: "subnav" }, h("a", { href: LIST, "aria-current": "page" }, "Webhooks")),
    content,
  );
}

/** Links a field's hint to its control, so that a screen reader reads it with the control. */
function hinted(wrapper) {
  const hint = wrapper.querySelector(".hint");
  const control = wrapper.querySelector("input, select");
  if (hint && control) {
    hint.id = `${control.id}-hint`;
    control.setAttribute("aria-describedby", hint.id);
  }
  return wrapper;
}

function badge(status) {
  return h("span", { class: `badge ${status}` }, status);
}

async function list(params, main, { api }) {
  const table = h("div");
  frame(
    main,
    h(
      "section",
      { class: "panel", "aria-labelledby": "webhooks-title" },
      h("div", { class: "row spread" }, h("h2", { id: "webhooks-title" }, "Webhooks"), h("a", { class: "button primary", href: `${LIST}/new` }, "New webhook")),
      h("p", { class: "muted" }, "Each endpoint receives one event type as an HTTP POST; failed deliveries are retried for about three days."),
      table,
    ),
  );
  await tablePager(
    table,
    ["Name", "Event", "URL", "Status", "Authentication"],
    (cursor) => api.get("/webhooks" + (cursor ? `?cursor=${encodeURIComponent(cursor)}` : "")),
    (w) =>
      h(
        "tr",
        {},
        h("td", {}, h("a", { href: `${LIST}/${w.id}` }, w.name)),
        h("td", {}, w.event),
        h("td", { class: "url" }, w.url),
        h("td", {}, badge(w.status)),
        h("td", {}, w.authType === "HTTP_BASIC" ? `HTTP Basic (${w.username})` : "None"),
      ),
    { empty: "No webhooks yet.", caption: "Webhooks" },
  ).ready;
}

/**
 * The endpoint form, for a new endpoint or a saved one (`saved`). Answers the form's parts:
 * `body()` reads the request body, `fields` the controls by API field name.
 */
function endpointForm(types, saved) {
  const status = h("select", {}, ["ACTIVE", "INACTIVE"].map((s) => h("option", { value: s }, s === "ACTIVE" ? "Active" : "Inactive")));
  const name = h("input", { type: "text", required: true, maxlength: 200, autocomplete: "off" });
  const event = h("select", { required: true }, types.map((t) => h("option", { value: t.type }, t.type)));
  // The hint under the event select describes the chosen event.
  const eventField = hinted(field("Calling event", event, " "));
  const eventHint = eventField.querySelector(".hint");
  const describe = () => (eventHint.textContent = types.find((t) => t.type === event.value)?.description || "");
  event.addEventListener("change", describe);
  const url = h("input", { type: "url", required: true, placeholder: "https://erp.example.com/hooks/orderpath", autocomplete: "off" });
  const authType = h("select", {}, h("option", { value: "HTTP_BASIC" }, "HTTP Basic"), h("option", { value: "NONE" }, "None"));
  const username = h("input", { type: "text", autocomplete: "off" });
  // The password is never sent back by the server, so it is never pre-filled.
  const password = h("input", { type: "password", autocomplete: "new-password" });
  const secret = h("input", { type: "password", autocomplete: "off", placeholder: "whsec_…" });
  const dropSecret = h("input", { type: "checkbox" });
  const basic = h(
    "fieldset",
    { class: "plain" },
    h("legend", {}, "HTTP Basic credentials"),
    field("Username", username),
    hinted(
      field(
        "Password",
        password,
        saved?.passwordSet ? "A password is saved and is never shown. Leave this empty to keep it; type a new one to change it." : null,
      ),
    ),
  );
  authType.addEventListener("change", () => (basic.hidden = authType.value !== "HTTP_BASIC"));

  if (saved) {
    status.value = saved.status;
    name.value = saved.name;
    event.value = saved.event;
    url.value = saved.url;
    authType.value = saved.authType;
    username.value = saved.username || "";
    basic.hidden = saved.authType !== "HTTP_BASIC";
  }
  describe();

  const parts = h(
    "div",
    {},
    field("Status", status),
    field("Name", name),
    eventField,
    field("URL", url),
    field("Authentication", authType),
    basic,
    hinted(
      field(
        "Signing secret (optional)",
        secret,
        saved?.signingSecretSet
          ? "A signing secret is saved and is never shown. Leave this empty to keep it."
          : "When set (whsec_ and base64), every request carries a webhook-signature header.",
      ),
    ),
    saved?.signingSecretSet ? h("div", { class: "check" }, dropSecret, h("label", { for: (dropSecret.id = "drop-secret") }, "Remove the signing secret")) : null,
  );

  /** The body as the form says it. For a saved endpoint, empty secrets are left out (kept). */
  function body() {
    const b = { name: name.value.trim(), status: status.value, event: event.value, url: url.value.trim(), authType: authType.value };
    if (authType.value === "HTTP_BASIC") {
      b.username = username.value;
      if (password.value || !saved) b.password = password.value;
    }
    if (dropSecret.checked) b.signingSecret = "";
    else if (secret.value.trim()) b.signingSecret = secret.value.trim();
    return b;
  }
  const fields = { status, name, event, url, authType, username, password, signingSecret: secret };
  return { parts, body, fields, password };
}

/** Marks the controls the server named as invalid (the error box lists the messages). */
function markInvalid(fields, error) {
  const named = error instanceof ApiError ? error.fields : {};
  for (const [key, control] of Object.entries(fields)) {
    if (named[key]) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
  }
}

/**
 * Runs `action` with `button` busy; a refusal shows in `errors` and marks the controls it
 * names. Answers the result, or undefined when refused.
 */
async function attempt(button, action, errors, fields) {
  try {
    const answer = await busy(button, action);
    showError(errors, null);
    markInvalid(fields, null);
    return answer;
  } catch (error) {
    showError(errors, error);
    markInvalid(fields, error);
    return undefined;
  }
}

/** What a test send did, as the receiver answered it, in a sentence a person reads. */
function outcome(result, note) {
  const answer = result.statusCode ? `the receiver answered HTTP ${result.statusCode} in ${result.durationMs} ms` : `no answer after ${result.durationMs} ms`;
  return h(
    "div",
    { class: `panel outcome ${result.delivered ? "good" : "bad"}` },
    h("h3", {}, "Test send"),
    h("p", {}, h("strong", {}, result.delivered ? "Delivered" : "Not delivered"), `: ${answer}.`),
    result.error ? h("p", {}, h("strong", {}, "What went wrong: "), result.error) : null,
    note ? h("p", { class: "muted" }, note) : null,
    h("h4", {}, "Response body"),
    result.responseBody ? h("pre", {}, result.responseBody) : h("p", { class: "muted" }, "(empty)"),
  );
}

async function eventTypes(api) {
  return api.get("/webhook-event-types");
}

async function create(params, main, { api }) {
  const types = await eventTypes(api);
  const form = endpointForm(types, null);
  const errors = h("div");
  const result = h("div", { role: "status" });
  const test = h("button", { type: "button" }, "Submit test webhook");
  const save = h("button", { type: "submit", class: "primary" }, "Create webhook");
  test.addEventListener("click", async () => {
    render(result);
    const sent = await attempt(test, () => api.post("/webhooks/test", form.body()), errors, form.fields);
    render(result, sent ? outcome(sent, "A sample event with ids made of zeros, marked webhook-test: true.") : null);
  });
  const el = h(
    "form",
    { class: "panel", "aria-labelledby": "new-webhook-title", novalidate: true },
    h("h2", { id: "new-webhook-title" }, "New webhook"),
    h("p", { class: "muted" }, "Before creating it, send a test event to check that the receiver accepts it."),
    form.parts,
    errors,
    h("div", { class: "row" }, test, save, h("a", { href: LIST }, "Cancel")),
    result,
  );
  el.addEventListener("submit", async (e) => {
    e.preventDefault();
    const made = await attempt(save, () => api.post("/webhooks", form.body()), errors, form.fields);
    if (made) location.hash = `${LIST}/${made.id}`;
  });
  frame(main, el);
  form.fields.name.focus();
}

async function edit({ id }, main, state) {
  const { api } = state;
  const [types, saved] = await Promise.all([eventTypes(api), api.get(`/webhooks/${encodeURIComponent(id)}`)]);
  const form = endpointForm(types, saved);
  const errors = h("div");
  const result = h("div", { role: "status" });
  const test = h("button", { type: "button" }, "Submit test webhook");
  const save = h("button", { type: "submit", class: "primary" }, "Save changes");
  const remove = h("button", { type: "button", class: "danger" }, "Delete webhook");
  const title = h("h2", { id: "edit-webhook-title" }, `Webhook ${saved.name}`);
  test.addEventListener("click", async () => {
    const body = form.body();
    // Without a typed password the form cannot be tested as it is; the saved endpoint can.
    const savedOnly = saved.passwordSet && body.authType === "HTTP_BASIC" && body.password === undefined;
    // The saved secret cannot be read back, so a test of the form's settings goes unsigned.
    const unsigned = saved.signingSecretSet && body.signingSecret === undefined;
    render(result);
    const sent = await attempt(
      test,
      () => (savedOnly ? api.post(`/webhooks/${saved.id}/test`) : api.post("/webhooks/test", body)),
      errors,
      form.fields,
    );
    const note = savedOnly
      ? "Sent with the saved settings (type the password to test the form's settings instead)."
      : `Sent with the form's settings${unsigned ? ", unsigned: the saved signing secret is never shown" : ""}; nothing is saved.`;
    render(result, sent ? outcome(sent, note) : null);
  });
  remove.addEventListener("click", () => confirmDelete(api, saved));
  const el = h(
    "form",
    { class: "panel", "aria-labelledby": "edit-webhook-title", novalidate: true },
    title,
    h("p", { class: "muted" }, `Created ${when(saved.createdAt)}, changed ${when(saved.updatedAt)}.`),
    form.parts,
    errors,
    h("div", { class: "row" }, test, save, remove, h("a", { href: LIST }, "Back to webhooks")),
    result,
  );
  el.addEventListener("submit", async (e) => {
    e.preventDefault();
    const changed = await attempt(save, () => api.patch(`/webhooks/${saved.id}`, form.body()), errors, form.fields);
    if (!changed) return;
    Object.assign(saved, changed);
    title.textContent = `Webhook ${changed.name}`;
    render(result, h("p", { class: "ok" }, `Saved ${when(changed.updatedAt)}.`));
  });
  const deliveries = h("section", { class: "panel", "aria-labelledby": "deliveries-title" });
  frame(main, el, deliveries);
  await deliveryLog(deliveries, api, saved);
}

function confirmDelete(api, saved) {
  const errors = h("div");
  const yes = h("button", { type: "button", class: "danger" }, "Delete");
  const no = h("button", { type: "button" }, "Cancel");
  const { close } = modal(
    "Delete webhook?",
    h("div", {}, h("p", {}, `${saved.name} will stop receiving ${saved.event} events, and its delivery log is deleted with it.`), errors, h("div", { class: "row" }, no, yes)),
  );
  no.addEventListener("click", close);
  yes.addEventListener("click", async () => {
    const done = await busy(yes, () => api.del(`/webhooks/${saved.id}`).then(() => true), errors);
    if (done) {
      close();
      location.hash = LIST;
    }
  });
}

/** An endpoint's deliveries, newest first; refreshes itself while any is pending. */
async function deliveryLog(section, api, saved) {
  const status = h("select", { id: "delivery-status" }, h("option", { value: "" }, "All"), ["PENDING", "SUCCEEDED", "FAILED"].map((s) => h("option", { value: s }, s)));
  const refresh = h("button", { type: "button" }, "Refresh");
  const table = h("div");
  const errors = h("div");
  let pending = false;
  let timer = null;
  const path = (cursor) => {
    const q = new URLSearchParams();
    if (status.value) q.set("status", status.value);
    if (cursor) q.set("cursor", cursor);
    return `/webhooks/${saved.id}/deliveries${q.toString() ? "?" + q : ""}`;
  };
  const load = async (cursor) => {
    const page = await api.get(path(cursor));
    if (!cursor) pending = page.items.some((d) => d.status === "PENDING");
    return page;
  };
  const row = (d) => {
    const last = d.attempts[d.attempts.length - 1];
    const retry = h("button", { type: "button" }, "Retry");
    retry.setAttribute("aria-label", `Retry delivery of event ${d.eventId}`);
    retry.addEventListener("click", async () => {
      const done = await busy(retry, () => api.post(`/webhooks/${saved.id}/deliveries/${d.id}/retry`), errors);
      if (done) again();
    });
    return h(
      "tr",
      {},
      h("td", {}, d.eventType, h("br"), h("small", { class: "muted" }, d.eventId)),
      h("td", {}, when(d.createdAt)),
      h("td", {}, badge(d.status), d.nextAttemptAt ? h("br") : null, d.nextAttemptAt ? h("small", { class: "muted" }, `next ${when(d.nextAttemptAt)}`) : null),
      h("td", { class: "num" }, d.attemptCount),
      h("td", {}, last ? attemptText(last) : h("span", { class: "muted" }, "not tried yet"), d.attempts.length ? attemptList(d.attempts) : null),
      h("td", {}, retry),
    );
  };
  let pager = null;
  function again() {
    clearTimeout(timer);
    return pager.reload().then(follow);
  }
  // While a delivery is pending its outcome is seconds away: look again until it is known,
  // as long as this page is still shown.
  function follow() {
    clearTimeout(timer);
    if (pending && section.isConnected) timer = setTimeout(again, 1500);
  }
  status.addEventListener("change", again);
  refresh.addEventListener("click", () => busy(refresh, again));
  render(
    section,
    h("h2", { id: "deliveries-title" }, "Deliveries"),
    h("div", { class: "row" }, field("Delivery status", status), h("div", { class: "field" }, refresh)),
    errors,
    table,
  );
  pager = tablePager(table, ["Event", "Created", "Status", ["Attempts", "num"], "Last answer", "Action"], load, row, {
    empty: "No deliveries yet: they appear when an event of this type happens.",
    caption: "Deliveries",
  });
  await pager.ready;
  follow();
}

function attemptText(a) {
  const code = a.statusCode ? `HTTP ${a.statusCode}` : "no answer";
  return h("span", {}, `${code}, ${a.durationMs} ms`, a.error ? h("span", { class: "muted" }, ` — ${a.error}`) : null);
}

function attemptList(attempts) {
  return h(
    "details",
    {},
    h("summary", {}, `All attempts (${attempts.length})`),
    h(
      "ol",
      {},
      attempts.map((a) =>
        h("li", {}, when(a.attemptedAt), ": ", a.succeeded ? "succeeded" : "failed", ", ", attemptText(a), a.responseBody ? h("pre", {}, a.responseBody) : null),
      ),
    ),
  );
}

export const routes = [
  ["/configuration/webhooks", list],
  ["/configuration/webhooks/new", create],
  ["/configuration/webhooks/:id", edit],
];
