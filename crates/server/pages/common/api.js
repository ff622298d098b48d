// The one way the pages talk to orderpath: the public API of docs/api.md, with the session
// token the person signed in with. Errors arrive as problem+json; callers show `detail`.

export const BASE = "/api/v1/orderpath/integrations/auth-required";

/** A refused or failed call, carrying the problem+json body the server sent. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
  /** The fields the server named as invalid, `{field: message}`. */
  get fields() {
    return Object.fromEntries((this.problem.errors || []).map((e) => [e.field, e.message]));
  }
}

/** The signed-in session of one app (`backoffice` or `store`), kept for the tab's life. */
export function sessionStore(app) {
  const key = `orderpath.${app}.session`;
  return {
    get: () => JSON.parse(sessionStorage.getItem(key) || "null"),
    set: (session) => sessionStorage.setItem(key, JSON.stringify(session)),
    clear: () => sessionStorage.removeItem(key),
  };
}

/**
 * Calls the API. `body` is sent as JSON; `ifMatch` as the `If-Match` header. Answers the
 * parsed body (null for 204) and, with `{withEtag: true}`, `{body, etag}`. A 401 calls
 * `onSignedOut` so the app can show its sign-in form.
 */
export function client(app, onSignedOut) {
  const store = sessionStore(app);
  async function call(method, path, body, { ifMatch, withEtag } = {}) {
    const headers = { Accept: "application/json" };
    const session = store.get();
    if (session) headers.Authorization = `Bearer ${session.token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (ifMatch) headers["If-Match"] = ifMatch;
    const answer = await fetch(BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
    const text = await answer.text();
    const parsed = text ? JSON.parse(text) : null;
    if (!answer.ok) {
      if (answer.status === 401 && session) {
        store.clear();
        onSignedOut?.();
      }
      throw new ApiError(answer.status, parsed || {});
    }
    return withEtag ? { body: parsed, etag: answer.headers.get("ETag") } : parsed;
  }
  return {
    session: store,
    get: (path, options) => call("GET", path, undefined, options),
    post: (path, body, options) => call("POST", path, body, options),
    put: (path, body, options) => call("PUT", path, body, options),
    patch: (path, body, options) => call("PATCH", path, body, options),
    del: (path, options) => call("DELETE", path, undefined, options),
    async signIn(email, password) {
      const signed = await call("POST", "/sessions", { email, password });
      store.set(signed);
      return signed;
    },
    async signOut() {
      try {
        await call("DELETE", "/sessions/current");
      } finally {
        store.clear();
      }
    },
  };
}

/** Builds a query string from the defined, non-empty values of `params`. */
export function query(params) {
  const kept = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== "");
  return kept.length ? "?" + new URLSearchParams(kept).toString() : "";
}
