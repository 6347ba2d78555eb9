// Usher console: passkey sign-in and registration (WebAuthn). Loaded as a file (the CSP allows
// no inline script). The server sends WebAuthn options with binary fields as base64url text;
// this turns them into ArrayBuffers for the browser and the browser's answer back into text.
// Requests carry the CSRF token from <meta name="csrf-token"> in the X-CSRF-Token header.
(function () {
  'use strict';

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : '';
  }

  function fromB64url(text) {
    var b64 = text.replace(/-/g, '+').replace(/_/g, '/');
    while (b64.length % 4) { b64 += '='; }
    var raw = atob(b64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes.buffer;
  }

  function toB64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = '';
    for (var i = 0; i < bytes.length; i++) { raw += String.fromCharCode(bytes[i]); }
    return btoa(raw).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  var errorBox = null;

  function message(kind) {
    return (errorBox && errorBox.getAttribute('data-' + kind)) || kind;
  }

  function showError(text) {
    if (!errorBox) { return; }
    errorBox.textContent = text;
    errorBox.hidden = false;
  }

  function clearError() {
    if (errorBox) { errorBox.hidden = true; errorBox.textContent = ''; }
  }

  // POSTs JSON; resolves with the JSON answer, rejects with the server's localized error.
  function post(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        'Accept': 'application/json',
        'X-CSRF-Token': csrfToken()
      },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var err = new Error(data.error || message('failed'));
          err.fromServer = true;
          throw err;
        }
        return data;
      });
    });
  }

  function creationOptions(options) {
    var pk = options.publicKey;
    pk.challenge = fromB64url(pk.challenge);
    pk.user.id = fromB64url(pk.user.id);
    (pk.excludeCredentials || []).forEach(function (c) { c.id = fromB64url(c.id); });
    return { publicKey: pk };
  }

  function requestOptions(options) {
    var pk = options.publicKey;
    pk.challenge = fromB64url(pk.challenge);
    (pk.allowCredentials || []).forEach(function (c) { c.id = fromB64url(c.id); });
    return { publicKey: pk };
  }

  function extensions(credential) {
    try { return credential.getClientExtensionResults() || {}; } catch (e) { return {}; }
  }

  function encodeRegistration(credential) {
    var r = credential.response;
    return {
      id: credential.id,
      rawId: toB64url(credential.rawId),
      type: credential.type,
      extensions: extensions(credential),
      response: {
        attestationObject: toB64url(r.attestationObject),
        clientDataJSON: toB64url(r.clientDataJSON),
        transports: typeof r.getTransports === 'function' ? r.getTransports() : undefined
      }
    };
  }

  function encodeAssertion(credential) {
    var r = credential.response;
    return {
      id: credential.id,
      rawId: toB64url(credential.rawId),
      type: credential.type,
      extensions: extensions(credential),
      response: {
        authenticatorData: toB64url(r.authenticatorData),
        clientDataJSON: toB64url(r.clientDataJSON),
        signature: toB64url(r.signature),
        userHandle: r.userHandle ? toB64url(r.userHandle) : null
      }
    };
  }

  function fail(err) {
    if (err && err.fromServer) {
      showError(err.message);
    } else if (err && (err.name === 'NotAllowedError' || err.name === 'AbortError')) {
      showError(message('cancelled'));
    } else if (err && (err.name === 'SecurityError' || err.name === 'NotSupportedError')) {
      showError(message('unsupported'));
    } else {
      showError(message('failed'));
    }
  }

  function supported() {
    return !!(window.PublicKeyCredential && navigator.credentials && window.isSecureContext);
  }

  function signIn(button) {
    clearError();
    if (!supported()) { showError(message('unsupported')); return; }
    button.disabled = true;
    post('/auth/webauthn/login/start')
      .then(function (options) { return navigator.credentials.get(requestOptions(options)); })
      .then(function (credential) {
        return post('/auth/webauthn/login/finish', {
          credential: encodeAssertion(credential),
          next: button.getAttribute('data-next') || '/'
        });
      })
      .then(function (done) { window.location.assign(done.redirect || '/'); })
      .catch(function (err) { button.disabled = false; fail(err); });
  }

  function register(form) {
    clearError();
    if (!supported()) { showError(message('unsupported')); return; }
    var button = form.querySelector('button[type="submit"]');
    var field = function (name) {
      var input = form.querySelector('[name="' + name + '"]');
      return input ? input.value : undefined;
    };
    var setupToken = form.getAttribute('data-setup-token') || undefined;
    if (button) { button.disabled = true; }
    post('/auth/webauthn/register/start', {
      setup_token: setupToken,
      display_name: field('display_name'),
      name: field('name')
    })
      .then(function (options) { return navigator.credentials.create(creationOptions(options)); })
      .then(function (credential) {
        return post('/auth/webauthn/register/finish', {
          credential: encodeRegistration(credential),
          setup_token: setupToken
        });
      })
      .then(function (done) { window.location.assign(done.redirect || '/'); })
      .catch(function (err) { if (button) { button.disabled = false; } fail(err); });
  }

  document.addEventListener('DOMContentLoaded', function () {
    errorBox = document.getElementById('passkey-error');
    var login = document.getElementById('passkey-login');
    if (login) {
      login.addEventListener('click', function () { signIn(login); });
    }
    var form = document.getElementById('passkey-register');
    if (form) {
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        register(form);
      });
    }
  });
}());
