//! The inbox's web page: deliveries newest first, test sends badged, and new deliveries
//! added as they arrive, without reloading, by a few lines of script that ask
//! `/events.html?after=N` for the ones after the newest shown.

use super::Received;

/// The head of the page and its script. The list's `data-last` holds the sequence number of
/// the newest delivery shown, `data-kept` how many the page keeps.
const HEAD: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>orderpath inbox</title>
<style>body{font-family:sans-serif;margin:2em}
.event{border:1px solid #ccc;border-radius:6px;padding:1em;margin:1em 0}
.event.test{border:2px dashed #d08700;background:#fffaf0}
.badge{background:#d08700;color:#fff;border-radius:4px;padding:.1em .5em;font-size:.6em;vertical-align:middle}
.fresh{animation:fresh 3s}@keyframes fresh{from{background:#e6ffe6}}
pre{background:#f6f6f6;padding:.5em;overflow:auto}small{color:#666}</style>
<script>
async function poll() {
  const list = document.getElementById("events");
  try {
    const answer = await fetch("/events.html?after=" + list.dataset.last, {cache: "no-store"});
    const html = (await answer.text()).trim();
    if (html) {
      document.getElementById("nothing")?.remove();
      list.insertAdjacentHTML("afterbegin", html);
      list.dataset.last = list.firstElementChild.dataset.seq;
      for (const fresh of list.querySelectorAll(".event:not([data-seen])")) {
        fresh.dataset.seen = "";
        fresh.classList.add("fresh");
      }
      while (list.children.length > Number(list.dataset.kept)) list.lastElementChild.remove();
    }
  } catch (e) {}
  setTimeout(poll, 1000);
}
addEventListener("DOMContentLoaded", () => {
  for (const shown of document.querySelectorAll(".event")) shown.dataset.seen = "";
  poll();
});
</script></head><body>
<h1>orderpath inbox</h1><p>Received webhooks, newest first; new ones appear as they arrive.
The same list is at <a href="/events">/events</a>. Test sends (<code>webhook-test: true</code>)
carry a badge.</p>"#;

/// The whole page for the deliveries kept, newest first.
pub(super) fn page<'a>(received: impl Iterator<Item = &'a Received>) -> String {
    let mut received = received.peekable();
    let newest = received.peek().map(|r| r.seq);
    let mut html = HEAD.to_string();
    if newest.is_none() {
        html.push_str("<p id=\"nothing\"><em>Nothing yet.</em></p>");
    }
    let last = newest.unwrap_or(0);
    html.push_str(&format!(
        "<div id=\"events\" data-last=\"{last}\" data-kept=\"{}\">",
        super::KEPT
    ));
    html.push_str(&events(received));
    html.push_str("</div></body></html>");
    html
}

/// The given deliveries as HTML, in the order given.
pub(super) fn events<'a>(received: impl Iterator<Item = &'a Received>) -> String {
    received.map(event).collect()
}

fn event(event: &Received) -> String {
    let kind = event
        .body
        .get("type")
        .and_then(|t| t.as_str())
        .unwrap_or("?");
    let (class, badge) = if event.is_test() {
        (
            "event test",
            " <span class=\"badge\" title=\"a test send: sample ids, not a real event\">TEST</span>",
        )
    } else {
        ("event", "")
    };
    let headers: String = event
        .headers
        .iter()
        .map(|(k, v)| format!("{}: {}\n", escape(k), escape(v)))
        .collect();
    let body = serde_json::to_string_pretty(&event.body).unwrap_or_default();
    format!(
        "<div class=\"{class}\" data-seq=\"{}\"><h2>{}{badge}</h2>\
         <small>received {} · signature {}</small><pre>{}</pre><pre>{}</pre></div>",
        event.seq,
        escape(kind),
        event.received_at.to_rfc3339(),
        event.signature,
        escape(&body),
        headers
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
