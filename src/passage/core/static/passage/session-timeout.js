// Passage: warn a minute before the staff session's idle timeout, and let the person stay.
// Ours, served from our origin (no inline script; CSP script-src 'self'). Without JavaScript
// nothing is lost: a form posted after the timeout goes to sign-in instead of being carried out.
(function () {
  "use strict";
  var box = document.getElementById("session-timeout");
  if (!box) { return; }
  var idle = parseInt(box.getAttribute("data-idle-seconds"), 10);
  var keepAliveUrl = box.getAttribute("data-keep-alive-url");
  if (!(idle > 90) || !keepAliveUrl) { return; }
  var warnTimer = null;

  function schedule() {
    if (warnTimer) { clearTimeout(warnTimer); }
    box.hidden = true;
    warnTimer = setTimeout(function () { box.hidden = false; }, (idle - 60) * 1000);
  }

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  var stay = box.querySelector("button");
  if (stay) {
    stay.addEventListener("click", function () {
      var body = new URLSearchParams();
      body.set("csrfmiddlewaretoken", csrfToken());
      fetch(keepAliveUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        redirect: "manual"
      }).then(function (response) {
        if (response.status === 204) { schedule(); } else { window.location.reload(); }
      });
    });
  }
  // htmx requests are activity too.
  document.body.addEventListener("htmx:afterRequest", schedule);
  schedule();
})();
