// Passage: warn a minute before the staff session's idle timeout, and let the person stay; when
// the timeout strikes, lock the page instead of losing it. Ours, served from our origin (no
// inline script; CSP script-src 'self').
//
// Locking: changed forms are saved as drafts (drafts/autosave.js), the server ends the session
// (every other request goes to sign-in from then on), the page's content is removed from the
// document (an unattended screen shows nothing of it), and a lock screen asks for the passphrase
// and a second-factor code. Unlocking signs in again and reloads the page, which the server
// fills from the drafts. Activity in another tab of the same browser (a shared timestamp in
// localStorage: no content) keeps this one from locking. Without JavaScript nothing is lost: a
// form posted after the timeout is kept as a draft and comes back after signing in.
(function () {
  "use strict";
  var box = document.getElementById("session-timeout");
  if (!box) { return; }
  var idle = parseInt(box.getAttribute("data-idle-seconds"), 10);
  var keepAliveUrl = box.getAttribute("data-keep-alive-url");
  var lockUrl = box.getAttribute("data-lock-url");
  var lockTemplate = document.getElementById("lock-screen-template");
  if (!(idle > 90) || !keepAliveUrl) { return; }
  var ACTIVITY = "passage.activity";
  var LOCK_EARLY_MS = 5000;  // lock a little before the server would end the session itself
  var warnTimer = null;
  var lockTimer = null;
  var since = Date.now();
  var locked = false;

  function sharedActivity() {
    try { return parseInt(window.localStorage.getItem(ACTIVITY), 10) || 0; } catch (e) { return 0; }
  }

  function schedule(from) {
    if (locked) { return; }
    since = from || Date.now();
    if (warnTimer) { clearTimeout(warnTimer); }
    if (lockTimer) { clearTimeout(lockTimer); }
    box.hidden = true;
    var left = idle * 1000 - (Date.now() - since);
    warnTimer = setTimeout(function () { box.hidden = false; }, Math.max(0, left - 60000));
    if (lockUrl && lockTemplate) {
      lockTimer = setTimeout(maybeLock, Math.max(0, left - LOCK_EARLY_MS));
    }
  }

  function activity() {
    var now = Date.now();
    try { window.localStorage.setItem(ACTIVITY, String(now)); } catch (e) { /* private mode */ }
    schedule(now);
  }

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual"
    });
  }

  function maybeLock() {
    var elsewhere = sharedActivity();
    if (elsewhere > since) { schedule(elsewhere); return; }  // another tab kept the session
    lock();
  }

  function lock() {
    if (locked) { return; }
    var token = csrfToken();
    var drafts = window.passageDrafts;
    var saved = drafts ? drafts.flush() : Promise.resolve();
    locked = true;
    if (warnTimer) { clearTimeout(warnTimer); }
    saved.catch(function () {}).then(function () {
      if (drafts) { drafts.stop(); }
      var body = new URLSearchParams();
      body.set("csrfmiddlewaretoken", token);
      return post(lockUrl, body);  // already ended on the server? then it answers a redirect
    }).catch(function () {}).then(showLock);
  }

  function showLock() {
    var main = document.getElementById("main");
    if (main) { main.replaceChildren(); }  // the content goes; the drafts bring it back
    Array.prototype.forEach.call(document.body.children, function (el) {
      if (el.tagName !== "SCRIPT" && el.tagName !== "TEMPLATE") { el.hidden = true; el.inert = true; }
    });
    box.hidden = true;
    document.body.appendChild(lockTemplate.content.cloneNode(true));
    var screen = document.getElementById("lock-screen");
    wireUnlock(screen);
    var first = screen.querySelector("input[type=password]");
    if (first) { first.focus(); }
  }

  function wireUnlock(screen) {
    var form = screen.querySelector("form");
    var error = screen.querySelector("[data-lock-error]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      post(form.action, new URLSearchParams(new FormData(form))).then(function (response) {
        return response.json();
      }).then(function (answer) {
        if (answer && answer.ok) {
          var drafts = window.passageDrafts;
          var resent = drafts && answer.csrf ? drafts.resend(answer.csrf) : Promise.resolve();
          resent.catch(function () {}).then(function () {
            window.location.replace(window.location.href.split("#")[0]);
          });
          return;
        }
        error.querySelector("p").textContent = (answer && answer.message) || "";
        error.hidden = false;
        form.querySelector("input[name=code]").value = "";
        button.disabled = false;
        error.focus();
      }, function () {
        button.disabled = false;
      });
    });
  }

  var stay = box.querySelector("button");
  if (stay) {
    stay.addEventListener("click", function () {
      var body = new URLSearchParams();
      body.set("csrfmiddlewaretoken", csrfToken());
      post(keepAliveUrl, body).then(function (response) {
        if (response.status === 204) { activity(); } else { window.location.reload(); }
      });
    });
  }
  // htmx requests and autosaves are activity too; so is another tab's.
  document.body.addEventListener("htmx:afterRequest", activity);
  document.addEventListener("passage:activity", activity);
  document.addEventListener("passage:session-over", function () {
    if (lockUrl && lockTemplate) { lock(); }
  });
  window.addEventListener("storage", function (event) {
    if (event.key === ACTIVITY && !locked) { schedule(sharedActivity()); }
  });
  activity();
})();
