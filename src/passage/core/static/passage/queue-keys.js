// Keyboard shortcuts of the triage queue: j / k next / previous row, o or Enter open it,
// a "assign to me" (the row's own button, which works without JavaScript too).
// Never acts while the person types in a field, or with Ctrl, Alt or Meta held.
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-queue-row]"));
  if (!rows.length) {
    return;
  }
  var current = -1;

  function typing(target) {
    if (!target || !target.closest) {
      return false;
    }
    return Boolean(
      target.isContentEditable ||
        target.closest("input, textarea, select, [contenteditable], button, summary")
    );
  }

  function choose(index) {
    if (current >= 0 && rows[current]) {
      rows[current].classList.remove("is-current");
      rows[current].removeAttribute("aria-current");
    }
    current = Math.max(0, Math.min(rows.length - 1, index));
    var row = rows[current];
    row.classList.add("is-current");
    row.setAttribute("aria-current", "true");
    var link = row.querySelector("a.reference");
    if (link) {
      link.focus();
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented) {
      return;
    }
    var target = event.target;
    // On the row's own link Enter already opens it; elsewhere in a field, leave every key alone.
    if (typing(target)) {
      return;
    }
    var key = event.key;
    if (key === "j") {
      choose(current + 1);
    } else if (key === "k") {
      choose(current < 0 ? 0 : current - 1);
    } else if ((key === "o" || key === "Enter") && current >= 0) {
      var link = rows[current].querySelector("a.reference");
      if (!link || (key === "Enter" && target === link)) {
        return;
      }
      link.click();
    } else if (key === "a" && current >= 0) {
      var button = rows[current].querySelector("button[data-assign-me]");
      if (!button) {
        return;
      }
      button.click();
    } else {
      return;
    }
    event.preventDefault();
  });
})();
