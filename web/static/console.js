// Usher console: asks before a destructive action. Loaded as a file (the CSP allows no inline
// script) on every signed-in page; without it everything still works through confirm pages.
//
// A destructive form is written as `<form method="get" action="/confirm" data-confirm="…">`
// with a hidden `do` field naming the real action: without script the browser opens the confirm
// page, whose POST does the action. With script, submitting opens the page's
// `<dialog id="confirm-dialog">` with the form's question (Escape or "cancel" closes it and
// nothing happens); "confirm" posts the form's fields to the real action with the CSRF token
// from <meta name="csrf-token">.
(function () {
  'use strict';

  var dialog = document.getElementById('confirm-dialog');
  if (!dialog || typeof dialog.showModal !== 'function') { return; }
  var question = dialog.querySelector('[data-question]');
  var pending = null;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : '';
  }

  // The confirmed form, sent as the POST it stands for: a copy of its fields in a new form, so
  // the page's own form stays a confirm form (going back to this page asks again).
  function send(form) {
    var target = form.querySelector('input[name="do"]');
    if (!target) { return; }
    var post = document.createElement('form');
    post.method = 'post';
    post.action = target.value;
    post.hidden = true;
    new FormData(form).forEach(function (value, name) {
      if (name === 'do') { return; }
      var field = document.createElement('input');
      field.type = 'hidden';
      field.name = name;
      field.value = value;
      post.appendChild(field);
    });
    var token = document.createElement('input');
    token.type = 'hidden';
    token.name = '_csrf';
    token.value = csrfToken();
    post.appendChild(token);
    document.body.appendChild(post);
    post.submit();
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-confirm')) { return; }
    event.preventDefault();
    pending = form;
    question.textContent = form.getAttribute('data-confirm');
    dialog.returnValue = '';
    dialog.showModal();
  });

  dialog.addEventListener('click', function (event) {
    var answer = event.target.closest('[data-answer]');
    if (answer) { dialog.close(answer.getAttribute('data-answer')); }
  });

  dialog.addEventListener('close', function () {
    var form = pending;
    pending = null;
    if (form && dialog.returnValue === 'confirm') { send(form); }
  });
}());
