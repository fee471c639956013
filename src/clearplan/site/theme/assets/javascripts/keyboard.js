// Keyboard use of Material's navigation drawer and search on narrow screens (WCAG 2.1.1, 2.4.3,
// 2.4.11, 4.1.2). Material opens both from a <label> for a hidden checkbox, which a keyboard cannot
// reach: here each header label becomes a real button that says whether its panel is open. Opened,
// a panel takes focus to its first link or field; Escape closes it and returns focus to its button.
// Material leaves both open after focus has moved on, covering the page: here each closes then.
(() => {
  const setOpen = (toggle, open) => {
    if (toggle.checked === open) return;
    toggle.checked = open;
    toggle.dispatchEvent(new Event("change"));  // Material watches its toggles through this event
  };
  const panels = [
    {toggle: document.getElementById("__drawer"), panel: document.querySelector(".md-sidebar--primary")},
    {toggle: document.getElementById("__search"), panel: document.querySelector(".md-search")},
  ];
  for (const {toggle, panel} of panels) {
    const label = toggle && panel && document.querySelector(`label.md-header__button[for="${toggle.id}"]`);
    if (!label) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = label.className;
    button.dataset.cpFor = toggle.id;  // clearplan.css hides it where Material hides the label
    button.innerHTML = label.innerHTML;  // the icon and the visually hidden name
    button.setAttribute("aria-expanded", String(toggle.checked));
    label.replaceWith(button);

    toggle.addEventListener("change", () => button.setAttribute("aria-expanded", String(toggle.checked)));
    button.addEventListener("click", () => {
      setOpen(toggle, !toggle.checked);
      const first = toggle.checked && panel.querySelector("a[href], input");
      if (first) first.focus();
    });
    window.addEventListener("keydown", event => {  // capture: before Material's own Escape handling blurs search
      if (event.key === "Escape" && toggle.checked && panel.contains(document.activeElement)) {
        setOpen(toggle, false);
        button.focus();
      }
    }, true);
    document.addEventListener("focusin", event => {
      if (event.target !== button && !panel.contains(event.target)) setOpen(toggle, false);
    });
  }
})();
