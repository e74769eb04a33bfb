// The API Keys page: list, add, view ("Edit") and delete one account's keys through the
// Keyward HTTP API on the same origin. Every failure is shown with the API's own words
// (the problem+json "detail"); key names are user input, so they only ever go in textContent.

const $ = (id) => document.getElementById(id);
const ACCOUNT_KEY = 'keyward.account';
const KNOWN_KEY = 'keyward.accounts';

const state = { account: null, cursor: null, keys: new Map(), deleting: null };

class ApiError extends Error {}

/** Calls the API; resolves to the JSON body (or null), rejects with an ApiError worth showing. */
async function api(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(`Could not reach the Keyward API (${e.message}). Is it still running?`);
  }
  const text = await response.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!response.ok) {
    const detail = json && (json.detail || json.message);
    const title = (json && json.title) || response.statusText || 'Error';
    throw new ApiError(detail ? `${title}: ${detail}` : `${title} (HTTP ${response.status}).`);
  }
  return json;
}

const keysPath = (account) => `/accounts/${encodeURIComponent(account)}/keys`;
const keyPath = (account, id) => `${keysPath(account)}/${encodeURIComponent(id)}`;

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = false;
}

function clearMessages() {
  $('error').hidden = true;
  $('notice').hidden = true;
}

function notify(message) {
  $('notice').textContent = message;
  $('notice').hidden = false;
}

/** Runs an action, showing its failure instead of losing it. */
async function attempt(action) {
  try {
    await action();
  } catch (e) {
    showError(e instanceof ApiError ? e.message : `Something went wrong in this page: ${e.message}`);
  }
}

function formatTime(iso) {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

function timeCell(iso, empty) {
  const cell = document.createElement('td');
  if (iso) {
    const time = document.createElement('time');
    time.dateTime = iso;
    time.title = iso;
    time.textContent = formatTime(iso);
    cell.append(time);
  } else {
    cell.textContent = empty;
    cell.className = 'muted';
  }
  return cell;
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

function row(key) {
  const tr = document.createElement('tr');
  tr.dataset.keyId = key.id;
  const name = document.createElement('td');
  name.textContent = key.name;
  name.className = 'name';
  const clientId = document.createElement('td');
  const code = document.createElement('code');
  code.textContent = key.clientId;
  clientId.append(code);
  const actions = document.createElement('td');
  actions.className = 'row-actions';
  actions.append(
    button('Edit', 'secondary', () => attempt(() => openEdit(key.id)), `Edit ${key.name}`),
    button('Delete', 'danger-link', () => confirmDelete(key), `Delete ${key.name}`),
  );
  tr.append(name, clientId, timeCell(key.createdAt, ''), timeCell(key.lastUsedAt, 'Not yet'), actions);
  return tr;
}

function renderEmpty() {
  const none = state.keys.size === 0;
  $('empty').hidden = !none;
  $('keys').hidden = none;
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
      tbody.append(row(key));
    }
    state.cursor = page.nextCursor || null;
    $('more').hidden = !state.cursor;
  } finally {
    $('loading').hidden = true;
    renderEmpty();
  }
}

async function openEdit(keyId) {
  clearMessages();
  const key = await api('GET', keyPath(state.account, keyId));
  $('edit-title').textContent = key.name;
  $('edit-client-id').value = key.clientId;
  const secret = $('edit-client-secret');
  secret.value = key.clientSecret;
  secret.type = 'password';
  $('reveal-secret').textContent = 'Show';
  $('reveal-secret').setAttribute('aria-pressed', 'false');
  const created = `Created ${formatTime(key.createdAt)}`;
  $('edit-meta').textContent = key.lastUsedAt ? `${created}; last used ${formatTime(key.lastUsedAt)}.` : `${created}; not used yet.`;
  for (const copy of document.querySelectorAll('#edit-dialog .copy')) copy.textContent = 'Copy';
  $('edit-dialog').showModal();
}

function confirmDelete(key) {
  clearMessages();
  state.deleting = key;
  $('delete-name').textContent = key.name;
  $('delete-dialog').returnValue = '';
  $('delete-dialog').showModal();
}

async function deleteKey(key) {
  await api('DELETE', keyPath(state.account, key.id));
  state.keys.delete(key.id);
  $('keys').querySelector(`tr[data-key-id="${CSS.escape(key.id)}"]`)?.remove();
  renderEmpty();
  notify(`Deleted “${key.name}”. Integrations that used it can no longer connect.`);
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
  await loadKeys();
}

function initialAccount() {
  const fromHash = decodeURIComponent(location.hash.slice(1));
  return fromHash || localStorage.getItem(ACCOUNT_KEY) || 'acme';
}

function wire() {
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
    $('create-form').hidden = true;
    $('create-form').reset();
  });
  $('create-form').addEventListener('submit', (event) => {
    event.preventDefault();
    attempt(async () => {
      clearMessages();
      const submit = event.submitter;
      if (submit) submit.disabled = true;
      try {
        const key = await api('POST', keysPath(state.account), { name: $('key-name').value });
        $('create-form').hidden = true;
        $('create-form').reset();
        await loadKeys();
        notify(`Created “${key.name}”. Click Edit next to it to see its Client ID and Client Secret.`);
      } finally {
        if (submit) submit.disabled = false;
      }
    });
  });

  $('more').addEventListener('click', () => attempt(() => loadKeys(true)));

  $('reveal-secret').addEventListener('click', () => {
    const secret = $('edit-client-secret');
    const reveal = secret.type === 'password';
    secret.type = reveal ? 'text' : 'password';
    $('reveal-secret').textContent = reveal ? 'Hide' : 'Show';
    $('reveal-secret').setAttribute('aria-pressed', String(reveal));
  });
  for (const copy of document.querySelectorAll('#edit-dialog .copy')) {
    copy.addEventListener('click', () => copyField($(copy.dataset.copy), copy));
  }
  $('edit-dialog').addEventListener('close', () => {
    // the secret leaves the page once the dialog is closed
    $('edit-client-secret').value = '';
    $('edit-client-secret').type = 'password';
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
}

wire();
attempt(() => openAccount(initialAccount()));
