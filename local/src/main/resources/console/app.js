// The API Keys page: list, add, view ("Edit"), rename, rotate, expire, scope and delete one account's
// keys, manage its webhook endpoints, and read its activity (audit trail), through the Keyward HTTP API
// (api.js). This module wires the page's controls to the sections, one module each, that share
// state.js's `state`:
//   messages.js  errors and notices, at their field when they concern one
//   times.js     "3 min ago" and exact times        cells.js   table cells, buttons, a key's description
//   access.js    expiry and scopes fields            keys.js    the list and Add an API Key
//   edit.js      the Edit dialog (secret, rename, expiry and scopes, copy), usage.js its usage chart
//   rotate.js    Rotate the Client Secret            delete.js  Delete
//   activity.js  the audit trail                     account.js which account is open
//   webhooks.js  the account's webhook endpoints, wired by wireWebhooks(), with webhook-secret.js
//                (a signing secret, shown once; rotation) and webhook-delete.js

import { start } from './session.js';
import { $, state } from './state.js';
import { attempt, busy, clearMessages } from './messages.js';
import { refreshRelativeTimes } from './times.js';
import { createKey, loadKeys, rowOf } from './keys.js';
import { copyField, openEdit, renameKey, revealSecret, saveAccess, setSecret, toggleSuspension } from './edit.js';
import { confirmRotate, describeGrace, graceChoice, rotateKey } from './rotate.js';
import { confirmDelete, deleteKey } from './delete.js';
import { loadActivity } from './activity.js';
import { initialAccount, openAccount } from './account.js';
import { wireWebhooks } from './webhooks.js';

function wire() {
  // the page's hash names the account, so the skip link moves focus without changing it
  document.querySelector('.skip-link').addEventListener('click', (event) => {
    event.preventDefault();
    $('main').focus();
  });
  $('account-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const account = $('account-id').value.trim();
    if (account) attempt(() => openAccount(account));
  });

  $('add-key').addEventListener('click', () => {
    clearMessages();
    $('create-form').hidden = false;
    $('key-name').focus();
  });
  $('create-cancel').addEventListener('click', () => {
    clearMessages();
    $('create-form').hidden = true;
    $('create-form').reset();
    $('add-key').focus();
  });
  $('create-form').addEventListener('submit', (event) => {
    event.preventDefault();
    attempt(() => createKey(event.submitter));
  });

  // each row's Edit and Delete (keys.js marks them with data-action)
  $('keys').querySelector('tbody').addEventListener('click', (event) => {
    const control = event.target.closest('button[data-action]');
    const key = control && state.keys.get(control.closest('tr').dataset.keyId);
    if (!key) return;
    if (control.dataset.action === 'edit') openEdit(key.id);
    else if (control.dataset.action === 'delete') confirmDelete(key);
  });

  $('more').addEventListener('click', () => attempt(() => loadKeys(true)));
  $('events-more').addEventListener('click', () => attempt(() => busy($('events-more'), () => loadActivity(true))));
  $('activity-refresh').addEventListener('click', () => attempt(() => busy($('activity-refresh'), () => loadActivity())));

  $('rename-form').addEventListener('submit', (event) => {
    event.preventDefault();
    attempt(() => renameKey($('edit-name').value, event.submitter), 'rename');
  });

  $('access-form').addEventListener('submit', (event) => {
    event.preventDefault();
    attempt(() => saveAccess(event.submitter), 'access');
  });
  $('edit-never').addEventListener('click', () => {
    $('edit-expires').value = '';
    $('edit-expires').focus();
  });

  $('rotate-open').addEventListener('click', confirmRotate);
  $('suspend-toggle').addEventListener('click', () => attempt(() => toggleSuspension($('suspend-toggle')), 'suspend'));
  for (const radio of document.querySelectorAll('#rotate-dialog input[name="grace"]')) {
    radio.addEventListener('change', describeGrace);
  }
  $('rotate-dialog').addEventListener('close', () => {
    const editing = state.editing;
    if (editing && $('rotate-dialog').returnValue === 'rotate') attempt(() => rotateKey(editing, graceChoice()), 'rotate');
  });

  $('reveal-secret').addEventListener('click', () => attempt(() => revealSecret($('reveal-secret')), 'rotate'));
  for (const copy of document.querySelectorAll('#edit-dialog .copy')) {
    copy.addEventListener('click', () => copyField($(copy.dataset.copy), copy));
  }
  $('edit-dialog').addEventListener('close', () => {
    // the secret leaves the page once the dialog is closed
    setSecret(null);
    const keyId = state.editing?.key.id;
    state.editing = null;
    rowOf(keyId || '')?.querySelector('button')?.focus();
  });

  $('delete-dialog').addEventListener('close', () => {
    const key = state.deleting;
    state.deleting = null;
    if (key && $('delete-dialog').returnValue === 'delete') attempt(() => deleteKey(key));
  });

  wireWebhooks();

  window.addEventListener('hashchange', () => {
    const account = decodeURIComponent(location.hash.slice(1));
    if (account && account !== state.account) attempt(() => openAccount(account));
  });
  setInterval(refreshRelativeTimes, 30_000);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  $('zone-note').textContent = `Times are in your time zone (${zone}); point at one to see the exact time.`;
}

wire();
attempt(async () => {
  const session = await start();
  await openAccount(initialAccount(session.account));
});
