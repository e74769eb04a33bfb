// Activity: the account's audit trail, newest first. The audit holds no names, so a key shows
// its id and the name the page has seen for it (state.names).

import { api } from './api.js';
import { $, state, auditPath } from './state.js';
import { attempt } from './messages.js';
import { timeElement } from './times.js';
import { cell } from './cells.js';

const ACTIVITY_PAGE = 20;
const ACTIONS = {
  'key.created': 'Created',
  'key.secret_viewed': 'Secret viewed',
  'key.renamed': 'Renamed',
  'key.updated': 'Expiry, scopes or networks changed',
  'key.disabled': 'Suspended',
  'key.enabled': 'Resumed',
  'key.rotated': 'Secret rotated',
  'key.deleted': 'Deleted',
  'key.leak_reported': 'Secret found in public',
};

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

export async function loadActivity(more = false) {
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
export function refreshActivity() {
  attempt(() => loadActivity());
}
