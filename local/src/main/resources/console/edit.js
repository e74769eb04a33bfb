// Edit: opens from the list's data; the secret is fetched (and its view recorded) only on Show.
// The dialog also renames the key, changes its expiry, scopes and networks, and suspends or
// resumes it; rotate.js rotates it.

import { api } from './api.js';
import { $, state, keyPath } from './state.js';
import { busy, clearEditMessages, clearMessages, notify } from './messages.js';
import { formatTime } from './times.js';
import { cidrsFromField, expiryFromField, expiryToField, scopesFromField } from './access.js';
import { replaceRow } from './keys.js';
import { refreshActivity } from './activity.js';
import { showUsage } from './usage.js';

/** Puts a secret in the Edit dialog, masked until Show is pressed, or clears it (null). */
export function setSecret(value) {
  const secret = $('edit-client-secret');
  secret.value = value || '';
  secret.type = 'password';
  $('reveal-secret').textContent = 'Show';
  $('reveal-secret').setAttribute('aria-pressed', 'false');
  $('copy-secret').hidden = !value;
  for (const copy of document.querySelectorAll('#edit-dialog .copy')) copy.textContent = 'Copy';
}

function fillEdit(key) {
  $('edit-title').textContent = key.name;
  $('edit-client-id').value = key.clientId;
  $('edit-expires').value = expiryToField(key.expiresAt);
  $('edit-scopes').value = (key.scopes || []).join(' ');
  $('edit-cidrs').value = (key.allowedCidrs || []).join(' ');
  showSuspension(key);
  const created = `Created ${formatTime(key.createdAt)}`;
  $('edit-meta').textContent = key.lastUsedAt ? `${created}; last used ${formatTime(key.lastUsedAt)}.` : `${created}; not used yet.`;
  showLeak(key.leaked);
}

export function openEdit(keyId) {
  clearMessages();
  const key = state.keys.get(keyId);
  if (!key) return;
  state.editing = { key, secret: null };
  clearEditMessages();
  fillEdit(key);
  $('edit-name').value = key.name;
  setSecret(null);
  $('edit-dialog').showModal();
  showUsage(key.id);
}

/** Whether the key is suspended, in words, and the button that changes it. */
function showSuspension(key) {
  const suspended = key.enabled === false;
  $('suspend-state').textContent = suspended
    ? 'This key is suspended: every request with it is refused until you resume it. Its Client ID, secret, scopes and usage are kept.'
    : 'This key works. Suspend it to refuse every request with it at once, without deleting it.';
  const control = $('suspend-toggle');
  control.textContent = suspended ? 'Resume key' : 'Suspend key';
  control.className = suspended ? 'secondary' : 'danger';
  control.dataset.enable = suspended ? 'true' : 'false';
}

/** Suspends the key, or resumes it: the authorizer refuses or accepts it from its next request. */
export async function toggleSuspension(control) {
  const editing = state.editing;
  if (!editing) return;
  clearEditMessages();
  const enabled = control.dataset.enable === 'true';
  const changed = await busy(control, () => api('PATCH', keyPath(state.account, editing.key.id), { enabled }));
  if (state.editing !== editing) return; // the dialog was closed meanwhile
  editing.key = { ...editing.key, ...changed };
  showSuspension(changed);
  replaceRow({ ...(state.keys.get(changed.id) || {}), ...changed });
  notify(changed.enabled ? 'Resumed. The key works again from its next request.'
    : 'Suspended. Every request with this key is refused until you resume it.', 'suspend');
  refreshActivity();
}

/** A secret scanner's report of this key: where and when, and what to do about it. */
function showLeak(leaked) {
  const box = $('edit-leak');
  box.hidden = !leaked;
  box.replaceChildren();
  if (!leaked) return;
  box.append(`A secret scanner found this key's secret in public on ${formatTime(leaked.at)}`);
  if (leaked.url) {
    const link = document.createElement('a');
    link.href = leaked.url;
    link.rel = 'noopener noreferrer';
    link.target = '_blank';
    link.textContent = leaked.url;
    box.append(' at ', link);
  }
  box.append('. Rotate it with no grace period, or delete the key.');
}

/** Show: fetches the key with its secret the first time (the API records the view), then unmasks it. */
export async function revealSecret(control) {
  const editing = state.editing;
  if (!editing) return;
  const field = $('edit-client-secret');
  if (field.type === 'text') {
    field.type = 'password';
    control.textContent = 'Show';
    control.setAttribute('aria-pressed', 'false');
    return;
  }
  if (!editing.secret) {
    const key = await busy(control, () => api('GET', keyPath(state.account, editing.key.id)));
    refreshActivity(); // the view is recorded
    if (state.editing !== editing) return; // closed meanwhile: the secret is not shown
    editing.secret = key.clientSecret;
    const { clientSecret, ...listed } = key;
    editing.key = listed;
    fillEdit(listed);
    setSecret(clientSecret);
  }
  field.type = 'text';
  control.textContent = 'Hide';
  control.setAttribute('aria-pressed', 'true');
}

export async function renameKey(name, control) {
  const editing = state.editing;
  if (!editing) return;
  clearEditMessages();
  if (name.trim() === editing.key.name) {
    notify('The name is unchanged.', 'rename');
    return;
  }
  const renamed = await busy(control, () => api('PATCH', keyPath(state.account, editing.key.id), { name }));
  if (state.editing !== editing) return; // the dialog was closed meanwhile
  editing.key = { ...editing.key, ...renamed };
  $('edit-title').textContent = renamed.name;
  $('edit-name').value = renamed.name;
  replaceRow({ ...(state.keys.get(renamed.id) || {}), ...renamed });
  notify(`Saved. This key is now called “${renamed.name}”.`, 'rename');
  refreshActivity();
}

/** Saves the Edit dialog's expiry, scopes and networks; only what changed is sent. */
export async function saveAccess(control) {
  const editing = state.editing;
  if (!editing) return;
  const key = editing.key;
  clearEditMessages();
  const body = {};
  const expiresAt = expiryFromField($('edit-expires').value);
  const current = key.expiresAt ? expiryFromField(expiryToField(key.expiresAt)) : null;
  if (expiresAt !== current) body.expiresAt = expiresAt;
  const scopes = scopesFromField($('edit-scopes').value);
  if (scopes.join(' ') !== (key.scopes || []).join(' ')) body.scopes = scopes;
  const cidrs = cidrsFromField($('edit-cidrs').value);
  if (cidrs.join(' ') !== (key.allowedCidrs || []).join(' ')) body.allowedCidrs = cidrs;
  if (Object.keys(body).length === 0) {
    notify('The expiry, the scopes and the networks are unchanged.', 'access');
    return;
  }
  const changed = await busy(control, () => api('PATCH', keyPath(state.account, key.id), body));
  if (state.editing !== editing) return; // the dialog was closed meanwhile
  editing.key = { ...editing.key, ...changed };
  $('edit-expires').value = expiryToField(changed.expiresAt);
  $('edit-scopes').value = changed.scopes.join(' ');
  $('edit-cidrs').value = changed.allowedCidrs.join(' ');
  replaceRow({ ...(state.keys.get(changed.id) || {}), ...changed });
  const when = changed.expiresAt ? `expires ${formatTime(changed.expiresAt)}` : 'never expires';
  const what = changed.scopes.length ? `has the scopes ${changed.scopes.join(', ')}` : 'has no scopes';
  notify(changed.allowedCidrs.length
    ? `Saved. This key ${when}, ${what} and works only from ${changed.allowedCidrs.join(', ')}.`
    : `Saved. This key ${when} and ${what}.`, 'access');
  refreshActivity();
}

/** Copy: to the clipboard, or, without permission, selected for the user to copy. */
export async function copyField(input, control) {
  const value = input.value;
  try {
    await navigator.clipboard.writeText(value);
  } catch {
    // no clipboard permission: fall back to selecting the text so the user can copy it
    const type = input.type;
    input.type = 'text';
    input.select();
    const copied = document.execCommand && document.execCommand('copy');
    input.type = type;
    if (!copied) {
      control.textContent = 'Press Ctrl+C';
      return;
    }
  }
  control.textContent = 'Copied';
}
