// The keys: the account's list, a page at a time, and Add an API Key. A row's Edit and Delete
// buttons carry data-action; app.js handles their clicks for the whole table.

import { api } from './api.js';
import { $, state, keysPath } from './state.js';
import { busy, clearMessages, notify } from './messages.js';
import { button, cell, timeCell } from './cells.js';
import { accessLine, cidrsFromField, expiryFromField, scopesFromField } from './access.js';
import { refreshActivity } from './activity.js';

function row(key) {
  const tr = document.createElement('tr');
  tr.dataset.keyId = key.id;
  tr.tabIndex = -1;
  if (key.status === 'expired' || key.status === 'disabled') tr.classList.add(key.status);
  const name = cell('Name', 'name');
  name.textContent = key.name;
  if (key.leaked) {
    const badge = document.createElement('span');
    badge.className = 'leaked';
    badge.textContent = 'Leaked';
    badge.title = `A secret scanner found this key's secret${key.leaked.url ? ` at ${key.leaked.url}` : ''}`;
    name.append(' ', badge);
  }
  const access = accessLine(key);
  if (access) name.append(access);
  const clientId = cell('Client ID');
  const code = document.createElement('code');
  code.textContent = key.clientId;
  clientId.append(code);
  const actions = cell('Actions', 'row-actions');
  const edit = button('Edit', 'secondary', null, `Edit ${key.name}`);
  edit.dataset.action = 'edit';
  const remove = button('Delete', 'danger-link', null, `Delete ${key.name}`);
  remove.dataset.action = 'delete';
  actions.append(edit, remove);
  tr.append(name, clientId, timeCell('Created', key.createdAt, ''), timeCell('Last used', key.lastUsedAt, 'Not yet'), actions);
  return tr;
}

export const rowOf = (keyId) => $('keys').querySelector(`tr[data-key-id="${CSS.escape(keyId)}"]`);

export function renderEmpty() {
  const none = state.keys.size === 0;
  $('empty').hidden = !none;
  $('keys').hidden = none;
}

/** Puts a changed key (renamed) in place of its row, keeping the row where it was. */
export function replaceRow(key) {
  state.keys.set(key.id, key);
  state.names.set(key.id, key.name);
  rowOf(key.id)?.replaceWith(row(key));
}

export async function loadKeys(more = false) {
  const account = state.account;
  const tbody = $('keys').querySelector('tbody');
  if (!more) {
    state.cursor = null;
    state.keys.clear();
    tbody.replaceChildren();
    $('loading').hidden = false;
    $('empty').hidden = true;
  }
  try {
    const query = state.cursor ? `?cursor=${encodeURIComponent(state.cursor)}` : '';
    const page = await api('GET', keysPath(account) + query);
    if (account !== state.account) return; // switched account meanwhile
    for (const key of page.keys) {
      state.keys.set(key.id, key);
      state.names.set(key.id, key.name);
      tbody.append(row(key));
    }
    state.cursor = page.nextCursor || null;
    $('more').hidden = !state.cursor;
  } finally {
    $('loading').hidden = true;
    renderEmpty();
  }
}

export async function createKey(submit) {
  clearMessages();
  const body = { name: $('key-name').value };
  const expiresAt = expiryFromField($('key-expires').value);
  if (expiresAt) body.expiresAt = expiresAt;
  const scopes = scopesFromField($('key-scopes').value);
  if (scopes.length) body.scopes = scopes;
  const cidrs = cidrsFromField($('key-cidrs').value);
  if (cidrs.length) body.allowedCidrs = cidrs;
  const key = await busy(submit, () => api('POST', keysPath(state.account), body));
  $('create-form').hidden = true;
  $('create-form').reset();
  state.names.set(key.id, key.name);
  await loadKeys();
  notify(`Created “${key.name}”. Press Edit next to it to see its Client ID and Client Secret.`);
  rowOf(key.id)?.focus(); // the new key, newest first
  refreshActivity();
}
