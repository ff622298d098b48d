// Two keyboard-complete widgets of the customer's page, after the WAI-ARIA Authoring
// Practices: a menu button (Create → New sale) and tabs (Carts | Offers | Orders).

import { h } from "../common/ui.js";

let counter = 0;
const nextId = (prefix) => `${prefix}-${++counter}`;

/**
 * A button that opens a menu of `items`, `[[label, action(button)]]`. Enter, Space or
 * Arrow Down open it on the first item; arrows move; Escape closes it and returns the focus;
 * choosing an item runs its action with the menu button (for progress).
 */
export function menuButton(label, items) {
  const menuId = nextId("menu");
  const button = h("button", { type: "button", "aria-haspopup": "menu", "aria-expanded": "false", "aria-controls": menuId }, label, " ▾");
  const entries = items.map(([text]) => h("button", { type: "button", role: "menuitem", tabindex: "-1" }, text));
  const menu = h("ul", { role: "menu", id: menuId, class: "menu", "aria-label": label, hidden: true }, entries.map((entry) => h("li", { role: "none" }, entry)));
  const wrapper = h("div", { class: "menu-button" }, button, menu);

  const open = (index = 0) => {
    menu.hidden = false;
    button.setAttribute("aria-expanded", "true");
    entries[(index + entries.length) % entries.length].focus();
    document.addEventListener("pointerdown", outside, true);
  };
  const close = (refocus = true) => {
    menu.hidden = true;
    button.setAttribute("aria-expanded", "false");
    document.removeEventListener("pointerdown", outside, true);
    if (refocus) button.focus();
  };
  const outside = (event) => {
    if (!wrapper.contains(event.target)) close(false);
  };

  button.addEventListener("click", () => (menu.hidden ? open() : close()));
  button.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      open(event.key === "ArrowDown" ? 0 : -1);
    }
  });
  entries.forEach((entry, index) => {
    entry.addEventListener("click", () => {
      close();
      items[index][1](button);
    });
    entry.addEventListener("keydown", (event) => {
      const moves = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: entries.length - 1 };
      if (event.key in moves) {
        event.preventDefault();
        entries[(moves[event.key] + entries.length) % entries.length].focus();
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      } else if (event.key === "Tab") {
        close(false);
      }
    });
  });
  return wrapper;
}

/**
 * Tabs over `list` (`[[key, label]]`), `selected` first. Selecting a tab (click, or arrows,
 * Home and End on the tab list) shows its panel and calls `load(key, panel)`, which fills
 * it. Answers `{element, ready}`, `ready` being the first load.
 */
export function tabs(list, selected, load) {
  const tabEls = [];
  const panels = [];
  for (const [key, label] of list) {
    const tabId = nextId("tab");
    const panelId = nextId("panel");
    tabEls.push(h("button", { type: "button", role: "tab", id: tabId, "aria-controls": panelId, dataset: { key } }, label));
    panels.push(h("div", { role: "tabpanel", id: panelId, "aria-labelledby": tabId, tabindex: "0" }));
  }
  const select = (index, focus) => {
    tabEls.forEach((tab, i) => {
      tab.setAttribute("aria-selected", String(i === index));
      tab.tabIndex = i === index ? 0 : -1;
      panels[i].hidden = i !== index;
    });
    if (focus) tabEls[index].focus();
    return load(list[index][0], panels[index]);
  };
  tabEls.forEach((tab, index) => {
    tab.addEventListener("click", () => select(index, false));
    tab.addEventListener("keydown", (event) => {
      const moves = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabEls.length - 1 };
      if (event.key in moves) {
        event.preventDefault();
        select((moves[event.key] + tabEls.length) % tabEls.length, true);
      }
    });
  });
  const tablist = h("div", { role: "tablist", class: "tabs", "aria-label": "Documents" }, tabEls);
  const first = Math.max(0, list.findIndex(([key]) => key === selected));
  const ready = select(first, false);
  return { element: h("div", {}, tablist, panels), ready };
}
