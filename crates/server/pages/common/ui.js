// Small DOM helpers shared by the two apps: element building, errors shown from
// problem+json, progress on long actions, an accessible modal, and "load more" paging.

/** Builds an element: h("button", {class: "x", onclick: f}, "text", child, ...). */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key in el && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces the content of `el` with `children`. */
export function render(el, ...children) {
  el.replaceChildren();
  for (const child of children.flat(Infinity)) {
    if (child !== undefined && child !== null && child !== false) el.append(child);
  }
  return el;
}

/** An alert box for an error, showing the server's `detail` and the fields it named. */
export function errorBox(error) {
  const fields = error?.problem?.errors || [];
  return h(
    "div",
    { class: "error", role: "alert" },
    error?.message || String(error),
    fields.length ? h("ul", {}, fields.map((f) => h("li", {}, `${f.field}: ${f.message}`))) : null,
  );
}

/** Shows the error in `slot` (replacing what was there); clears it when `error` is null. */
export function showError(slot, error) {
  render(slot, error ? errorBox(error) : null);
}

/**
 * Runs `action` while `button` shows progress and cannot be pressed twice; errors land in
 * `slot` (when given) and are rethrown otherwise.
 */
export async function busy(button, action, slot) {
  const label = button.textContent;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  button.textContent = label + "…";
  if (slot) showError(slot, null);
  try {
    return await action();
  } catch (error) {
    if (!slot) throw error;
    showError(slot, error);
    return undefined;
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    button.textContent = label;
  }
}

/** A labelled form field; `input` is any control. Answers the wrapper. */
export function field(label, input, hint) {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    input,
    hint ? h("small", { class: "hint" }, hint) : null,
  );
}

/**
 * Opens a modal dialog: focus moves into it and stays there (Tab wraps), Escape or the
 * close button closes it, and focus returns to what had it. Answers `{dialog, close}`.
 */
export function modal(title, body, { onClose } = {}) {
  const opener = document.activeElement;
  const titleId = `m-${Math.random().toString(36).slice(2, 9)}`;
  const close = () => {
    backdrop.remove();
    document.removeEventListener("keydown", onKey, true);
    onClose?.();
    if (opener && document.contains(opener)) opener.focus();
  };
  const dialog = h(
    "div",
    { class: "modal", role: "dialog", "aria-modal": "true", "aria-labelledby": titleId },
    h(
      "header",
      {},
      h("h2", { id: titleId }, title),
      h("button", { class: "close", type: "button", "aria-label": "Close", onclick: close }, "×"),
    ),
    body,
  );
  const backdrop = h("div", { class: "backdrop" }, dialog);
  function onKey(event) {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "Tab") {
      const focusable = [
        ...dialog.querySelectorAll("button, input, select, textarea, a[href], [tabindex]"),
      ].filter((el) => !el.disabled && el.tabIndex >= 0 && el.offsetParent !== null);
      if (!focusable.length) return;
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      } else if (!dialog.contains(document.activeElement)) {
        event.preventDefault();
        first.focus();
      }
    }
  }
  document.addEventListener("keydown", onKey, true);
  document.body.append(backdrop);
  const first = dialog.querySelector("input, select, textarea, button:not(.close)");
  (first || dialog.querySelector("button")).focus();
  return { dialog, close };
}

/**
 * A paginated list: calls `load(cursor)` for a page `{items, nextCursor}`, adds each item
 * through `row(item)` to `container`, and offers "Load more" while there is a next page.
 */
export function pager(container, load, row, { empty = "Nothing here yet." } = {}) {
  const list = h("div", { class: "rows" });
  const more = h("button", { type: "button", class: "more" }, "Load more");
  const errors = h("div");
  let cursor = null;
  async function next() {
    const page = await busy(more, () => load(cursor), errors);
    if (!page) return;
    for (const item of page.items) list.append(row(item));
    if (!list.children.length) list.append(h("p", { class: "empty" }, empty));
    cursor = page.nextCursor;
    more.hidden = !cursor;
  }
  more.addEventListener("click", next);
  render(container, list, errors, more);
  return next();
}

/** "2026-11-28T15:04:05Z" → a short local date and time. */
export function when(timestamp) {
  return timestamp ? new Date(timestamp).toLocaleString() : "";
}

/**
 * `pager` for a table: `columns` are header texts or `[text, className]` (e.g. "num" for
 * figures), `row(item)` answers a <tr>. Answers `{table, reload}`; `reload()` starts again
 * from the first page (after a change, or to see new rows).
 */
export function tablePager(container, columns, load, row, { empty = "Nothing here yet.", caption } = {}) {
  const body = h("tbody");
  const head = columns.map((c) => (Array.isArray(c) ? h("th", { scope: "col", class: c[1] }, c[0]) : h("th", { scope: "col" }, c)));
  const table = h("table", {}, caption ? h("caption", { class: "visually-hidden" }, caption) : null, h("thead", {}, h("tr", {}, head)), body);
  const more = h("button", { type: "button", class: "more" }, "Load more");
  const errors = h("div");
  let cursor = null;
  let loading = null;
  async function next(first) {
    const page = await busy(more, () => load(first ? null : cursor), errors);
    if (!page) return;
    if (first) body.replaceChildren();
    for (const item of page.items) body.append(row(item));
    if (!body.children.length) body.append(h("tr", {}, h("td", { colspan: columns.length, class: "empty" }, empty)));
    cursor = page.nextCursor;
    more.hidden = !cursor;
  }
  // One load at a time: a reload waits for the page being fetched, so rows never double.
  const queue = (first) => (loading = (loading || Promise.resolve()).then(() => next(first)));
  more.addEventListener("click", () => queue(false));
  render(container, table, errors, more);
  return { table, reload: () => queue(true), ready: queue(true) };
}

/**
 * Re-renders with `draw()` and puts the focus back on the control that had it (controls
 * carry ids made from the line id), or on `fallback` when that control is gone.
 */
export function keepFocus(draw, fallback) {
  const id = document.activeElement?.id;
  const hadFocus = document.activeElement && document.activeElement !== document.body;
  draw();
  if (!hadFocus || document.activeElement !== document.body) return;
  const again = id && document.getElementById(id);
  (again || fallback)?.focus();
}
