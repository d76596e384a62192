// Passage: security keys (WebAuthn) for staff, adding one and using one as the second factor.
// Ours, served from our origin (CSP script-src 'self', no inline script). The forms it drives
// stay hidden without JavaScript or without WebAuthn support; codes work there instead.
(function () {
  "use strict";

  function toBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) { base64 += "="; }
    var raw = atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) { raw += String.fromCharCode(bytes[i]); }
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function post(url, form, extra) {
    var body = new URLSearchParams(new FormData(form));
    Object.keys(extra || {}).forEach(function (key) { body.set(key, extra[key]); });
    return fetch(url, { method: "POST", body: body, credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        return response.json().catch(function () { return { error: "" }; }).then(function (data) {
          if (!response.ok && !data.error) { data.error = form.getAttribute("data-failed") || "Error"; }
          return data;
        });
      });
  }

  function showError(form, message) {
    var box = form.querySelector("#security-key-error");
    if (box) { box.textContent = message; box.hidden = !message; }
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return { type: item.type, id: toBytes(item.id), transports: item.transports };
    });
  }

  function run(form, ceremony) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      showError(form, "");
      post(form.getAttribute("data-begin-url"), form).then(function (options) {
        if (options.error) { throw new Error(options.error); }
        return ceremony(options);
      }).then(function (credential) {
        return post(form.getAttribute("data-finish-url"), form, { credential: JSON.stringify(credential) });
      }).then(function (result) {
        if (result.redirect) { window.location.assign(result.redirect); return; }
        showError(form, result.error || "");
      }).catch(function (error) {
        showError(form, (error && error.message) || String(error));
      });
    });
    form.hidden = false;
  }

  function create(options) {
    options.challenge = toBytes(options.challenge);
    options.user.id = toBytes(options.user.id);
    options.excludeCredentials = descriptors(options.excludeCredentials);
    return navigator.credentials.create({ publicKey: options }).then(function (credential) {
      return {
        id: credential.id,
        rawId: toBase64url(credential.rawId),
        type: credential.type,
        response: {
          clientDataJSON: toBase64url(credential.response.clientDataJSON),
          attestationObject: toBase64url(credential.response.attestationObject),
          transports: credential.response.getTransports ? credential.response.getTransports() : []
        }
      };
    });
  }

  function get(options) {
    options.challenge = toBytes(options.challenge);
    options.allowCredentials = descriptors(options.allowCredentials);
    return navigator.credentials.get({ publicKey: options }).then(function (credential) {
      var response = credential.response;
      return {
        id: credential.id,
        rawId: toBase64url(credential.rawId),
        type: credential.type,
        response: {
          clientDataJSON: toBase64url(response.clientDataJSON),
          authenticatorData: toBase64url(response.authenticatorData),
          signature: toBase64url(response.signature),
          userHandle: response.userHandle ? toBase64url(response.userHandle) : null
        }
      };
    });
  }

  if (!window.PublicKeyCredential || !navigator.credentials) { return; }
  var note = document.querySelector(".js-off-note");
  if (note) { note.hidden = true; }
  var add = document.getElementById("security-key-add");
  if (add) { run(add, create); }
  var use = document.getElementById("security-key-use");
  if (use) { run(use, get); }
})();
