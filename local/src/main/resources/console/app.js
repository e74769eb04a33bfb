// The API Keys page: list, add, view ("Edit"), rename, rotate, expire, scope and delete one account's keys,
// and read the account's activity (audit trail), through the Keyward HTTP API (api.js). Every
// failure is shown with the API's own words (the problem+json "detail"), next to the field it
// concerns when there is one; key names are user input, so they only ever go in textContent.

import { api, ApiError } from './api.js';
import { start } from './session.js';

const $ = (id) => document.getElementById(id);
const ACCOUNT_KEY = 'keyward.account';
const KNOWN_KEY = 'keyward.accounts';

const ACTIVITY_PAGE = 20;
const GRACE_WORDS = { 0: null, 3600: '1 hour', 86400: '24 hours' };
const ACTIONS = {
  'key.created': 'Created',
  'key.secret_viewed': 'Secret viewed',
  'key.renamed': 'Renamed',
  'key.updated': 'Expiry or scopes changed',
  'key.rotated': 'Secret rotated',
  'key.deleted': 'Deleted',
  'key.leak_reported': 'Secret found in public',
};
// problem codes that concern one form field (by the input's name); the rest show above the form
const FIELD_CODES = { invalid_name: 'name', invalid_expires_at: 'expiresAt', invalid_scopes: 'scopes' };

const state = {
  account: null,
  cursor: null,
  keys: new Map(),
  names: new Map(), // every key name seen for this account, deleted keys' included (the audit has no names)
  deleting: null,
  editing: null, // the key shown in the Edit dialog, and its secret once fetched: { key, secret }
  events: { cursor: null, generation: 0 },
};

const keysPath = (account) => `/accounts/${encodeURIComponent(account)}/keys`;
const keyPath = (account, id) => `${keysPath(account)}/${encodeURIComponent(id)}`;
const auditPath = (account) => `/accounts/${encodeURIComponent(account)}/audit`;

// ---- Messages: to the page, or to the Edit dialog while it is open (the page is inert behind it) ----

const PLACES = {
  page: { error: 'error', notice: 'notice', form: 'create-form' },
  rename: { error: 'edit-error', notice: 'rename-status', form: 'rename-form' },
  rotate: { error: 'edit-error', notice: 'secret-status' },
  access: { error: 'edit-error', notice: 'access-status', form: 'access-form' },
};
const place = (where) => PLACES[where || 'page'];

function clearFieldErrors(form) {
  if (!form) return;
  for (const input of form.querySelectorAll('[aria-invalid="true"]')) {
    input.removeAttribute('aria-invalid');
    const error = $(`${input.id}-error`);
    if (error) error.hidden = true;
    const ids = (input.getAttribute('aria-describedby') || '').split(' ').filter((id) => id && id !== `${input.id}-error`);
    input.setAttribute('aria-describedby', ids.join(' '));
  }
}

/** Shows a message under the form's field, tied to it with aria-describedby; false when the form has no such field. */
function showFieldError(form, fieldName, message) {
  const input = form?.elements[fieldName];
  const error = input && $(`${input.id}-error`);
  if (!error) return false;
  error.textContent = message;
  error.hidden = false;
  input.setAttribute('aria-invalid', 'true');
  const ids = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
  if (!ids.includes(error.id)) ids.push(error.id);
  input.setAttribute('aria-describedby', ids.join(' '));
  input.focus();
  return true;
}

function showError(message, where) {
  const { error, notice } = place(where);
  $(notice).hidden = true;
  $(error).textContent = message;
  $(error).hidden = false;
}

function clearMessages(where) {
  const { error, notice, form } = place(where);
  $(error).hidden = true;
  $(notice).hidden = true;
  clearFieldErrors(form && $(form));
}

function clearEditMessages() {
  clearMessages('rename');
  clearMessages('rotate');
  clearMessages('access');
}

function notify(message, where) {
  const { error, notice } = place(where);
  $(error).hidden = true;
  $(notice).textContent = message;
  $(notice).hidden = false;
}

/** Runs an action, showing its failure (at its field when it concerns one) instead of losing it. */
async function attempt(action, where) {
  try {
    await action();
  } catch (e) {
    if (!(e instanceof ApiError)) {
      showError(`Something went wrong in this page: ${e.message}`, where);
      return;
    }
    const field = FIELD_CODES[e.code];
    const form = place(where).form && $(place(where).form);
    if (!field || !showFieldError(form, field, e.message)) showError(e.message, where);
  }
}

/**
 * Disables a button while an action runs, so a double click does not do it twice; a disabled
 * button loses focus, so focus goes back to it afterwards if nothing else took it meanwhile.
 */
async function busy(control, action) {
  if (!control) return action();
  const focused = document.activeElement === control;
  control.disabled = true;
  try {
    return await action();
  } finally {
    control.disabled = false;
    if (focused && (document.activeElement === document.body || document.activeElement === null)) control.focus();
  }
}

// ---- Times: relative in lists ("3 min ago"), absolute with the time zone on hover and in dialogs ----

const ABSOLUTE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'long' });

function formatTime(iso) {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : ABSOLUTE.format(date);
}

function relativeTime(iso, now = Date.now()) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const seconds = Math.round((now - date.getTime()) / 1000);
  const ago = (n, unit) => `${n} ${unit} ago`;
  if (seconds < 45) return seconds < -45 ? formatTime(iso) : 'just now';
  if (seconds < 3600) return ago(Math.max(1, Math.round(seconds / 60)), 'min');
  if (seconds < 86400) return ago(Math.round(seconds / 3600), 'h');
  const days = Math.round(seconds / 86400);
  if (days < 30) return days === 1 ? 'yesterday' : ago(days, 'days');
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(date);
}

function timeElement(iso) {
  const time = document.createElement('time');
  time.dateTime = iso;
  time.title = formatTime(iso);
  time.textContent = relativeTime(iso);
  return time;
}

/** Keeps "3 min ago" true while the page stays open. */
function refreshRelativeTimes() {
  for (const time of document.querySelectorAll('main time[datetime]')) time.textContent = relativeTime(time.dateTime);
}

function cell(label, className) {
  const td = document.createElement('td');
  td.dataset.label = label;
  if (className) td.className = className;
  return td;
}

function timeCell(label, iso, empty) {
  const td = cell(label);
  if (iso) {
    td.append(timeElement(iso));
  } else {
    td.textContent = empty;
    td.classList.add('muted');
  }
  return td;
}

function button(label, className, onClick, description) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.className = className;
  if (description) b.setAttribute('aria-label', description);
  b.addEventListener('click', onClick);
  return b;
}

// ---- Expiry and scopes: the API speaks RFC 3339 UTC, the form fields local time ----

/** A datetime-local field's value (local time) as RFC 3339 UTC in whole seconds, or null when empty. */
function expiryFromField(value) {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An RFC 3339 time as a datetime-local field's value, in local time. */
function expiryToField(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function scopesFromField(value) {
  return value.split(/[\s,]+/).filter(Boolean);
}

/** Under the key's name in the list: whether it has expired or when it will, and its scopes. */
function accessLine(key) {
  const line = document.createElement('span');
  line.className = 'access-line';
  if (key.status === 'expired') {
    const badge = document.createElement('span');
    badge.className = 'badge expired';
    badge.textContent = 'Expired';
    line.append(badge, ' ', timeElement(key.expiresAt));
  } else if (key.expiresAt) {
    line.append('Expires ', timeElement(key.expiresAt));
  }
  if (key.scopes && key.scopes.length) {
    const scopes = document.createElement('span');
    scopes.className = 'scopes';
    scopes.textContent = key.scopes.join(' ');
    line.append(scopes);
  }
  return line.childNodes.length ? line : null;
}

/** Name, Client ID and creation time: what tells two keys of the same name apart. */
function describeKey(list, key) {
  const entries = [['Name', key.name], ['Client ID', key.clientId], ['Created', formatTime(key.createdAt)]];
  list.replaceChildren(...entries.flatMap(([term, value]) => {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    return [dt, dd];
  }));
}

// ---- The keys ----

function row(key) {
  const tr = document.createElement('tr');
  tr.dataset.keyId = key.id;
  tr.tabIndex = -1;
  if (key.status === 'expired') tr.classList.add('expired');
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
  actions.append(
    button('Edit', 'secondary', () => openEdit(key.id), `Edit ${key.name}`),
    button('Delete', 'danger-link', () => confirmDelete(key), `Delete ${key.name}`),
  );
  tr.append(name, clientId, timeCell('Created', key.createdAt, ''), timeCell('Last used', key.lastUsedAt, 'Not yet'), actions);
  return tr;
}

const rowOf = (keyId) => $('keys').querySelector(`tr[data-key-id="${CSS.escape(keyId)}"]`);

function renderEmpty() {
  const none = state.keys.size === 0;
  $('empty').hidden = !none;
  $('keys').hidden = none;
}

/** Puts a changed key (renamed) in place of its row, keeping the row where it was. */
function replaceRow(key) {
  state.keys.set(key.id, key);
  state.names.set(key.id, key.name);
  rowOf(key.id)?.replaceWith(row(key));
}

async function loadKeys(more = false) {
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

async function createKey(submit) {
  clearMessages();
  const body = { name: $('key-name').value };
  const expiresAt = expiryFromField($('key-expires').value);
  if (expiresAt) body.expiresAt = expiresAt;
  const scopes = scopesFromField($('key-scopes').value);
  if (scopes.length) body.scopes = scopes;
  const key = await busy(submit, () => api('POST', keysPath(state.account), body));
  $('create-form').hidden = true;
  $('create-form').reset();
  state.names.set(key.id, key.name);
  await loadKeys();
  notify(`Created “${key.name}”. Press Edit next to it to see its Client ID and Client Secret.`);
  rowOf(key.id)?.focus(); // the new key, newest first
  refreshActivity();
}

// ---- Edit: opens from the list's data; the secret is fetched (and its view recorded) only on Show ----

/** Puts a secret in the Edit dialog, masked until Show is pressed, or clears it (null). */
function setSecret(value) {
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
  const created = `Created ${formatTime(key.createdAt)}`;
  $('edit-meta').textContent = key.lastUsedAt ? `${created}; last used ${formatTime(key.lastUsedAt)}.` : `${created}; not used yet.`;
  showLeak(key.leaked);
}

function openEdit(keyId) {
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

const USAGE_DAYS = 30;
const SVG = 'http://www.w3.org/2000/svg';

/**
 * The key's checks per UTC day as a small bar chart: allowed in green, denied (a wrong secret
 * with its Client ID) in red above them; the summary under the heading says the same in words.
 */
async function showUsage(keyId) {
  const summary = $('usage-summary');
  const chart = $('usage-chart');
  summary.textContent = 'Loading…';
  chart.setAttribute('hidden', '');
  chart.replaceChildren();
  let usage;
  try {
    usage = await api('GET', `${keyPath(state.account, keyId)}/usage?days=${USAGE_DAYS}`);
  } catch (e) {
    if (state.editing?.key.id === keyId) summary.textContent = 'Usage could not be loaded.';
    return;
  }
  if (state.editing?.key.id !== keyId) return; // another key's dialog meanwhile
  const allowed = usage.days.reduce((sum, d) => sum + d.allowed, 0);
  const denied = usage.days.reduce((sum, d) => sum + d.denied, 0);
  const words = (n, one) => `${n.toLocaleString()} ${one}${n === 1 ? '' : 's'}`;
  summary.textContent = allowed + denied === 0
    ? `Not used in the last ${USAGE_DAYS} days.`
    : `${words(allowed, 'allowed request')} and ${words(denied, 'denied request')} in the last ${USAGE_DAYS} days.`;
  const most = Math.max(1, ...usage.days.map((d) => d.allowed + d.denied));
  const width = 300 / usage.days.length;
  usage.days.forEach((day, i) => {
    const bar = (value, below, kind) => {
      const height = (value / most) * 58;
      const rect = document.createElementNS(SVG, 'rect');
      rect.setAttribute('x', (i * width + 0.5).toFixed(2));
      rect.setAttribute('width', Math.max(1, width - 1).toFixed(2));
      rect.setAttribute('y', (60 - below - height).toFixed(2));
      rect.setAttribute('height', height.toFixed(2));
      rect.setAttribute('class', kind);
      return { rect, height };
    };
    const ok = bar(day.allowed, 0, 'allowed');
    const no = bar(day.denied, ok.height, 'denied');
    const group = document.createElementNS(SVG, 'g');
    group.dataset.date = day.date;
    const title = document.createElementNS(SVG, 'title');
    title.textContent = `${day.date}: ${day.allowed} allowed, ${day.denied} denied`;
    group.append(title, ok.rect, no.rect);
    chart.append(group);
  });
  chart.removeAttribute('hidden'); // an SVG element has no hidden property
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
async function revealSecret(control) {
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

async function renameKey(name, control) {
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

/** Saves the Edit dialog's expiry and scopes; only what changed is sent. */
async function saveAccess(control) {
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
  if (Object.keys(body).length === 0) {
    notify('The expiry and the scopes are unchanged.', 'access');
    return;
  }
  const changed = await busy(control, () => api('PATCH', keyPath(state.account, key.id), body));
  if (state.editing !== editing) return; // the dialog was closed meanwhile
  editing.key = { ...editing.key, ...changed };
  $('edit-expires').value = expiryToField(changed.expiresAt);
  $('edit-scopes').value = changed.scopes.join(' ');
  replaceRow({ ...(state.keys.get(changed.id) || {}), ...changed });
  const when = changed.expiresAt ? `expires ${formatTime(changed.expiresAt)}` : 'never expires';
  const what = changed.scopes.length ? `has the scopes ${changed.scopes.join(', ')}` : 'has no scopes';
  notify(`Saved. This key ${when} and ${what}.`, 'access');
  refreshActivity();
}

function graceChoice() {
  return Number($('rotate-dialog').querySelector('input[name="grace"]:checked').value);
}

/** What happens to the current secret with the chosen grace period, in words. */
function describeGrace() {
  const seconds = graceChoice();
  if (!seconds) {
    $('rotate-effect').textContent = 'The current Client Secret stops working immediately.';
  } else {
    const until = formatTime(new Date(Date.now() + seconds * 1000).toISOString());
    $('rotate-effect').textContent = `The current Client Secret keeps working for ${GRACE_WORDS[seconds]}, until about ${until}, then stops working.`;
  }
}

function confirmRotate() {
  const editing = state.editing;
  if (!editing) return;
  clearEditMessages();
  describeKey($('rotate-which'), editing.key);
  $('rotate-dialog').querySelector('form').reset(); // each rotation starts from the default grace period
  describeGrace();
  const dialog = $('rotate-dialog');
  dialog.returnValue = '';
  dialog.showModal();
  dialog.querySelector('input[name="grace"]:checked').focus();
}

async function rotateKey(editing, graceSeconds) {
  const rotated = await busy($('rotate-open'), () => api('POST', `${keyPath(state.account, editing.key.id)}/rotate`, { graceSeconds }));
  refreshActivity();
  if (state.editing !== editing || !$('edit-dialog').open) return; // closed meanwhile: the secret is not shown
  editing.secret = rotated.clientSecret;
  setSecret(rotated.clientSecret);
  const old = rotated.previousSecretValidUntil
    ? `The previous secret keeps working until ${formatTime(rotated.previousSecretValidUntil)}, then stops working.`
    : 'The previous secret stopped working immediately.';
  notify(`This is a new Client Secret; the Client ID is unchanged. ${old}`, 'rotate');
  $('edit-client-secret').focus();
}

// ---- Activity: the account's audit trail, newest first ----

function actionWords(action) {
  return ACTIONS[action] || action;
}

/** The caller's IAM principal without the ARN's prefix (user/jane, assumed-role/Admin/jane). */
function callerWords(caller) {
  if (!caller) return 'Unknown';
  const parts = caller.split(':');
  return parts.length >= 6 && parts[0] === 'arn' ? parts.slice(5).join(':') : caller;
}

function eventRow(event) {
  const tr = document.createElement('tr');
  tr.dataset.eventId = event.id;
  const when = cell('Time');
  when.append(timeElement(event.at));
  const action = cell('Action');
  action.textContent = actionWords(event.action);
  const key = cell('Key');
  const holder = document.createElement('span');
  const name = state.names.get(event.keyId);
  if (name !== undefined) {
    const strong = document.createElement('span');
    strong.className = 'key-name';
    strong.textContent = name;
    holder.append(strong);
  }
  const id = document.createElement('code');
  id.textContent = event.keyId;
  holder.append(id);
  key.append(holder);
  const caller = cell('By', 'caller');
  caller.textContent = callerWords(event.caller);
  if (event.caller) caller.title = event.caller;
  tr.append(when, action, key, caller);
  return tr;
}

async function loadActivity(more = false) {
  const account = state.account;
  const events = state.events;
  const tbody = $('events').querySelector('tbody');
  const generation = more ? events.generation : ++events.generation;
  if (!more) {
    events.cursor = null;
    $('events-loading').hidden = tbody.children.length > 0; // a refresh keeps the rows in view
  }
  try {
    const query = new URLSearchParams({ limit: String(ACTIVITY_PAGE) });
    if (more && events.cursor) query.set('cursor', events.cursor);
    const page = await api('GET', `${auditPath(account)}?${query}`);
    if (account !== state.account || generation !== events.generation) return; // superseded
    const rows = page.events.map(eventRow);
    if (more) tbody.append(...rows);
    else tbody.replaceChildren(...rows);
    events.cursor = page.nextCursor || null;
    $('events-more').hidden = !events.cursor;
    const none = tbody.children.length === 0;
    $('events-empty').hidden = !none;
    $('events').hidden = none;
  } finally {
    if (generation === events.generation) $('events-loading').hidden = true;
  }
}

/** Reloads the newest activity after a change; a failure shows on the page. */
function refreshActivity() {
  attempt(() => loadActivity());
}

// ---- Delete ----

function confirmDelete(key) {
  clearMessages();
  state.deleting = key;
  describeKey($('delete-which'), key);
  $('delete-dialog').returnValue = '';
  $('delete-dialog').showModal();
}

async function deleteKey(key) {
  await api('DELETE', keyPath(state.account, key.id));
  refreshActivity();
  state.keys.delete(key.id);
  rowOf(key.id)?.remove();
  renderEmpty();
  notify(`Deleted “${key.name}” (${key.clientId}). Integrations that used it can no longer connect.`);
  $('keys-heading').focus();
}

async function copyField(input, control) {
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

// ---- The account ----

function rememberAccount(account) {
  localStorage.setItem(ACCOUNT_KEY, account);
  const known = new Set(JSON.parse(localStorage.getItem(KNOWN_KEY) || '[]'));
  known.add(account);
  localStorage.setItem(KNOWN_KEY, JSON.stringify([...known].slice(-20)));
  const list = $('known-accounts');
  list.replaceChildren(...[...known].map((a) => Object.assign(document.createElement('option'), { value: a })));
}

async function openAccount(account) {
  state.account = account;
  $('account-id').value = account;
  $('crumb-account').textContent = account;
  if (location.hash !== `#${encodeURIComponent(account)}`) history.replaceState(null, '', `#${encodeURIComponent(account)}`);
  rememberAccount(account);
  clearMessages();
  state.names.clear();
  $('events').querySelector('tbody').replaceChildren();
  $('events-more').hidden = true;
  await loadKeys();
  await loadActivity();
}

function initialAccount(fixed) {
  if (fixed) return fixed;
  const fromHash = decodeURIComponent(location.hash.slice(1));
  return fromHash || localStorage.getItem(ACCOUNT_KEY) || 'acme';
}

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
