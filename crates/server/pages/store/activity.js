// Telling the service the customer is here: opening a view (or coming back to the tab)
// reports activity (`POST /customers/{id}/activity` `{source: "OFE"}`), so a customer who
// returns after the inactivity window (30 minutes by default) is recorded as logged in
// again (CLIENT_LOGGED), even in a tab that kept its session. Once a minute is plenty: the
// window is counted in minutes.

const EVERY_MS = 60_000;

let last = 0;
let watching = false;

function report(state) {
  const now = Date.now();
  if (now - last < EVERY_MS || !state.me?.customerId) return;
  last = now;
  // Not the customer's own action: a failure here must not disturb the page.
  state.api.post(`/customers/${state.me.customerId}/activity`, { source: "OFE" }).catch(() => {
    last = 0;
  });
}

/** Wraps the routes' views so that opening one reports activity. */
export function reportingActivity(routes) {
  return routes.map(([pattern, view]) => [
    pattern,
    (params, main, state) => {
      if (!watching) {
        watching = true;
        document.addEventListener("visibilitychange", () => {
          if (document.visibilityState === "visible") report(state);
        });
      }
      report(state);
      return view(params, main, state);
    },
  ]);
}
