// The frame both apps share: the sign-in form, the top bar with navigation and sign-out,
// and a hash router (`#/customers/ID`) that maps the address to a view. Views are
// `async (params, main) => void` and draw into `main`.

import { client } from "./api.js";
import { busy, errorBox, field, h, render, showError } from "./ui.js";

/**
 * Starts an app. `role` is the user role the app is for; `nav` is `[[label, hash]]`;
 * `routes` is `[[pattern, view]]` with patterns like "/customers/:id"; `right(api)` adds
 * controls to the right of the top bar.
 */
export function startApp({ app, title, role, nav, routes, right, home }) {
  const root = document.getElementById("app");
  const api = client(app, () => showSignIn());
  const state = { api, me: null };

  function showSignIn(problem) {
    document.title = `Sign in · ${title}`;
    const email = h("input", { type: "email", autocomplete: "username", required: true });
    const password = h("input", { type: "password", autocomplete: "current-password", required: true });
    const errors = h("div");
    const submit = h("button", { class: "primary", type: "submit" }, "Sign in");
    const form = h(
      "form",
      { class: "panel signin", "aria-labelledby": "signin-title" },
      h("h1", { id: "signin-title" }, title),
      field("Email", email),
      field("Password", password),
      errors,
      submit,
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const signed = await busy(submit, () => api.signIn(email.value, password.value), errors);
      if (!signed) return;
      if (signed.user.role !== role) {
        await api.signOut();
        showError(errors, new Error(`This is the ${title}; ${signed.user.email} cannot use it.`));
        return;
      }
      start();
    });
    render(root, h("main", {}, form));
    if (problem) showError(errors, problem);
    email.focus();
    // When the form can be used: the browser tests read it as the first load's budget.
    performance.mark("orderpath:sign-in-ready");
  }

  async function start() {
    try {
      state.me = await api.get("/me");
    } catch (error) {
      showSignIn(error.status === 401 ? null : error);
      return;
    }
    const main = h("main", { id: "main", tabindex: "-1" });
    const links = nav.map(([label, hash]) => h("a", { href: hash }, label));
    const signOut = h("button", { type: "button" }, "Sign out");
    signOut.addEventListener("click", async () => {
      await api.signOut().catch(() => {});
      location.hash = "";
      showSignIn();
    });
    render(
      root,
      h(
        "header",
        { class: "topbar" },
        h("span", { class: "brand" }, title),
        h("nav", { "aria-label": "Main" }, links),
        h("div", { class: "right" }, right ? right(state) : null, h("span", { class: "muted" }, state.me.name), signOut),
      ),
      main,
    );
    const route = async () => {
      const path = location.hash.replace(/^#/, "") || home;
      for (const link of links) {
        const current = path.startsWith(link.getAttribute("href").slice(1));
        if (current) link.setAttribute("aria-current", "page");
        else link.removeAttribute("aria-current");
      }
      for (const [pattern, view] of routes) {
        const params = match(pattern, path);
        if (!params) continue;
        render(main, h("p", { class: "muted" }, "Loading…"));
        try {
          await view(params, main, state);
        } catch (error) {
          if (error.status !== 401) render(main, h("div", { class: "panel" }, errorBox(error)));
        }
        return;
      }
      render(main, h("div", { class: "panel" }, h("h1", {}, "Not found"), h("p", {}, `Nothing at ${path}.`)));
    };
    window.onhashchange = route;
    await route();
  }

  if (api.session.get()) start();
  else showSignIn();
}

function match(pattern, path) {
  const [bare, search = ""] = path.split("?");
  const want = pattern.split("/");
  const got = bare.split("/");
  if (want.length !== got.length) return null;
  const params = Object.fromEntries(new URLSearchParams(search));
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(":")) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}
