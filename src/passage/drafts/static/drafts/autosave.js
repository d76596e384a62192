// Passage: autosave of long forms. Every <form data-autosave> posts what was typed to the drafts
// endpoint every few seconds when it changed (never the CSRF token, passphrases or files); the
// server keeps it encrypted and fills the form from it when the page comes back (after a lock,
// a crash, a closed tab). Ours, from our origin; without JavaScript a form posted after the
// timeout is kept as a draft by the server instead.
(function () {
  "use strict";
  var config = document.getElementById("session-timeout");
  var saveUrl = config ? config.getAttribute("data-draft-save-url") : "";
  var savedLabel = (config && config.getAttribute("data-draft-saved-label")) || "Saved";
  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-autosave]"));
  if (!saveUrl || !forms.length) {
    var none = function () { return Promise.resolve(); };
    window.passageDrafts = { flush: none, resend: none, stop: function () {} };
    return;
  }
  var EVERY_MS = 3000;
  var SKIPPED_TYPES = { password: 1, file: 1, submit: 1, button: 1, reset: 1, image: 1 };
  var SKIPPED_NAMES = { csrfmiddlewaretoken: 1, passage_draft: 1 };

  function csrfToken(form) {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]") ||
      document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function fields(form) {
    var body = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (el) {
      var type = (el.type || "").toLowerCase();
      if (!el.name || el.disabled || SKIPPED_TYPES[type] || SKIPPED_NAMES[el.name]) { return; }
      if ((type === "checkbox" || type === "radio") && !el.checked) { return; }
      if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) {
          if (o.selected) { body.append(el.name, o.value); }
        });
        return;
      }
      body.append(el.name, el.value);
    });
    return body.toString();
  }

  function Autosave(form) {
    var keyField = form.querySelector("input[name=passage_draft]");
    this.form = form;
    this.key = keyField ? keyField.value :
      window.location.pathname + "#" + (form.getAttribute("data-autosave") || "form");
    this.status = form.querySelector("[data-draft-status]");
    if (!this.status) {
      this.status = document.createElement("p");
      this.status.className = "draft-status";
      this.status.setAttribute("aria-live", "polite");
      form.appendChild(this.status);
    }
    this.last = fields(form);  // what the page came with is no draft yet
    this.inflight = null;
    this.stopped = false;
    var self = this;
    form.addEventListener("submit", function (event) {
      self.stopped = true;  // the form itself is going: no save may follow it
      if (self.inflight) {
        event.preventDefault();
        var submitter = event.submitter;
        self.inflight.then(function () {
          if (submitter) { form.requestSubmit(submitter); } else { form.requestSubmit(); }
        });
      }
    });
  }

  // ``token``: a fresh CSRF token (after signing in again), else the page's.
  Autosave.prototype.save = function (token) {
    var self = this;
    if (self.stopped && !token) { return Promise.resolve(); }
    if (self.inflight) { return self.inflight; }
    var now = fields(self.form);  // a form taken out of the page by the lock still has its values
    if (now === self.last) { return Promise.resolve(); }
    var body = new URLSearchParams(now);
    body.set("csrfmiddlewaretoken", token || csrfToken(self.form));
    body.set("passage_draft", self.key);
    self.inflight = fetch(saveUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual"
    }).then(function (response) {
      if (response.status === 204) {
        self.last = now;
        var at = new Date();
        self.status.textContent = savedLabel + " " + pad(at.getHours()) + ":" + pad(at.getMinutes());
        document.dispatchEvent(new CustomEvent("passage:activity"));
      } else if (response.type === "opaqueredirect") {
        // The session is over (timed out, or locked in another tab): lock this page too; what
        // was not saved is sent again after unlocking (``resend``).
        document.dispatchEvent(new CustomEvent("passage:session-over"));
      }
    }, function () { /* offline: the next tick tries again */ }).then(function () {
      self.inflight = null;
    });
    return self.inflight;
  };

  var savers = forms.map(function (form) { return new Autosave(form); });
  var timer = setInterval(function () {
    savers.forEach(function (saver) { saver.save(); });
  }, EVERY_MS);

  window.passageDrafts = {
    // Save every changed form now (before the page locks); resolves when all have answered.
    flush: function () {
      return Promise.all(savers.map(function (saver) { return saver.save(); }));
    },
    // After unlocking: send what the server does not have yet, with the new session's token.
    resend: function (token) {
      return Promise.all(savers.map(function (saver) { return saver.save(token); }));
    },
    stop: function () {
      clearInterval(timer);
      savers.forEach(function (saver) { saver.stopped = true; });
    }
  };
})();
