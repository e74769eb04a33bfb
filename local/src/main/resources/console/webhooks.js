// Webhooks: the account's endpoints, each with the events it takes, how its latest delivery went
// and, unfolded, its last 10 attempts; Add an endpoint, and Send test. webhook-secret.js shows a signing secret (once) and
// rotates it; webhook-delete.js deletes an endpoint. wireWebhooks() connects the section.

import { api } from './api.js';
import { $, state, webhooksPath, webhookPath } from './state.js';
import { attempt, busy, clearMessages, notify, warn } from './messages.js';
import { button, cell } from './cells.js';
import { timeElement } from './times.js';
import { confirmRotateWebhook, showSecretOnce, wireSecretDialogs } from './webhook-secret.js';
import { confirmDeleteWebhook, wireDeleteDialog } from './webhook-delete.js';

/** The event types an endpoint may take (EventType in infra/openapi.yaml), in words. */
const EVENT_TYPES = [
  ['key.created', 'A key was created'],
  ['key.updated', 'A key\'s name, expiry or scopes changed'],
  ['key.rotated', 'A key\'s secret was rotated'],
  ['key.deleted', 'A key was deleted: by an admin, the expiry sweep or secret scanning'],
  ['key.secret_viewed', 'A key\'s secret was viewed'],
  ['key.leaked', 'A key\'s secret was found in public'],
  ['key.expiring', 'A key expires in 7 days, and again in 1 day'],
  ['key.expired', 'A key expired'],
  ['settings.updated', 'The account\'s settings changed'],
];

/** An endpoint's event types in the order above (the API answers them sorted by name). */
function inOrder(events) {
  const rank = (type) => {
    const at = EVENT_TYPES.findIndex(([known]) => known === type);
    return at < 0 ? EVENT_TYPES.length : at;
  };
  return [...events].sort((a, b) => rank(a) - rank(b));
}

/** How many attempts the API keeps per endpoint (recentDeliveries' maxItems in infra/openapi.yaml). */
const RECENT_DELIVERIES = 10;

const OUTCOMES = {
  delivered: 'Delivered',
  retrying: 'Retrying',
  parked: 'Parked',
  failed: 'Failed',
};

// what went wrong (WebhookDelivery.error): short in the list, a sentence after Send test
const FAILURES = {
  timeout: ['Timed out', 'it did not answer in time'],
  connection_refused: ['Connection refused', 'the connection was refused: is the receiver running?'],
  connection_failed: ['Connection failed', 'the connection failed'],
  tls_failed: ['TLS failed', 'the TLS handshake failed: is its certificate valid?'],
  address_not_public: ['Address not public', 'its host no longer resolves to a public address, so nothing was sent'],
  signing_secret_missing: ['No signing secret', 'its signing secret is missing, so nothing was sent; rotate it'],
};

/** The endpoint's answer in a few words: its HTTP status, or what kept one from coming. */
function answerWords(delivery) {
  if (delivery.responseStatus !== null && delivery.responseStatus !== undefined) return `HTTP ${delivery.responseStatus}`;
  return FAILURES[delivery.error]?.[0] || delivery.error || 'No answer';
}

function answerSentence(delivery) {
  if (delivery.responseStatus !== null && delivery.responseStatus !== undefined) return `it answered HTTP ${delivery.responseStatus}`;
  return FAILURES[delivery.error]?.[1] || `it failed (${delivery.error})`;
}

/** What becomes of the event after this attempt, when it is not delivered. */
function outcomeNote(delivery) {
  if (delivery.outcome === 'retrying') return `attempt ${delivery.attempt}; it is tried again later`;
  if (delivery.outcome === 'parked') return `attempt ${delivery.attempt}, the last; the event waits in the dead-letter queue`;
  if (delivery.attempt > 1) return `attempt ${delivery.attempt}`;
  return null;
}

/** How an attempt ended (a badge) and the endpoint's answer in words. */
function outcomeElements(delivery) {
  const badge = document.createElement('span');
  badge.className = `badge outcome ${delivery.outcome}`;
  badge.textContent = OUTCOMES[delivery.outcome] || delivery.outcome;
  const answer = document.createElement('span');
  answer.className = 'answer';
  answer.textContent = answerWords(delivery);
  return [badge, answer];
}

/** One attempt in a line: how it ended, the endpoint's answer, the event, when, which attempt. */
function attemptItem(delivery) {
  const li = document.createElement('li');
  const [badge, answer] = outcomeElements(delivery);
  const type = document.createElement('code');
  type.textContent = delivery.eventType;
  const id = document.createElement('code');
  id.className = 'event-id';
  id.textContent = delivery.eventId;
  id.title = 'The delivery\'s webhook-id';
  li.append(badge, ' ', answer, ' ', type, ' · ', timeElement(delivery.at), ` · attempt ${delivery.attempt} · `, id);
  return li;
}

/**
 * The endpoint's last attempts (recentDeliveries, newest first), folded under the latest one;
 * `open` keeps it unfolded when the cell is drawn again.
 */
function recentList(deliveries, open) {
  const details = document.createElement('details');
  details.className = 'recent';
  details.open = open;
  const summary = document.createElement('summary');
  summary.textContent = deliveries.length === 1 ? 'Recent deliveries (1)' : `Recent deliveries (${deliveries.length})`;
  const list = document.createElement('ol');
  list.className = 'recent-deliveries';
  list.append(...deliveries.map(attemptItem));
  details.append(summary, list);
  return details;
}

function deliveryCell(endpoint, open = false) {
  const td = cell('Last delivery', 'delivery');
  const delivery = endpoint.lastDelivery;
  if (!delivery) {
    td.textContent = 'None yet';
    td.classList.add('muted');
    return td;
  }
  const [badge, answer] = outcomeElements(delivery);
  const line = document.createElement('span');
  line.className = 'access-line';
  const type = document.createElement('code');
  type.textContent = delivery.eventType;
  line.append(type, ' · ', timeElement(delivery.at));
  const note = outcomeNote(delivery);
  if (note) line.append(` · ${note}`);
  const latest = document.createElement('span');
  latest.className = 'latest';
  latest.append(badge, ' ', answer, line);
  const holder = document.createElement('div'); // one value, even where a card lays out its cells in a grid
  holder.append(latest);
  const recent = endpoint.recentDeliveries?.length ? endpoint.recentDeliveries : [delivery];
  holder.append(recentList(recent, open));
  td.append(holder);
  return td;
}

function eventsCell(events) {
  const td = cell('Events', 'event-types');
  const all = EVENT_TYPES.every(([type]) => events.includes(type));
  if (all) {
    td.textContent = 'All events';
    td.title = events.join(' ');
    return td;
  }
  const list = document.createElement('span');
  list.className = 'scopes';
  list.textContent = events.join(' ');
  td.append(list);
  return td;
}

function row(endpoint) {
  const tr = document.createElement('tr');
  tr.dataset.webhookId = endpoint.id;
  tr.tabIndex = -1;
  const where = cell('Endpoint', 'name');
  const url = document.createElement('code');
  url.className = 'url';
  url.textContent = endpoint.url;
  const added = document.createElement('span');
  added.className = 'access-line';
  added.append('Added ', timeElement(endpoint.createdAt));
  where.append(url, added);
  const actions = cell('Actions', 'row-actions');
  const test = button('Send test', 'secondary', null, `Send test event to ${endpoint.url}`);
  test.dataset.action = 'test';
  const rotate = button('Rotate secret', 'secondary', null, `Rotate secret of ${endpoint.url}`);
  rotate.dataset.action = 'rotate';
  const remove = button('Delete', 'danger-link', null, `Delete the endpoint ${endpoint.url}`);
  remove.dataset.action = 'delete';
  actions.append(test, rotate, remove);
  tr.append(where, eventsCell(endpoint.events), deliveryCell(endpoint), actions);
  return tr;
}

export const webhookRowOf = (id) => $('webhooks-list').querySelector(`tr[data-webhook-id="${CSS.escape(id)}"]`);

export function renderWebhooksEmpty() {
  const none = state.webhooks.size === 0;
  $('webhooks-empty').hidden = !none;
  $('webhooks-list').hidden = none;
}

/** Loads the open account's endpoints (at most 10: one page). */
export async function loadWebhooks() {
  const account = state.account;
  const generation = ++state.webhooksGeneration;
  const tbody = $('webhooks-list').querySelector('tbody');
  if (tbody.dataset.account !== account) {
    // another account: nothing of the previous one stays in view
    tbody.replaceChildren();
    tbody.dataset.account = account;
    state.webhooks.clear();
    clearMessages('webhooks');
    $('webhook-form').hidden = true;
    $('webhook-form').reset();
    $('webhooks-empty').hidden = true;
    $('webhooks-list').hidden = true;
    $('webhooks-loading').hidden = false;
  }
  try {
    const page = await api('GET', webhooksPath(account));
    if (account !== state.account || generation !== state.webhooksGeneration) return; // superseded
    const webhooks = page.webhooks.map((endpoint) => ({ ...endpoint, events: inOrder(endpoint.events) }));
    state.webhooks = new Map(webhooks.map((endpoint) => [endpoint.id, endpoint]));
    tbody.replaceChildren(...webhooks.map(row));
    renderWebhooksEmpty();
  } finally {
    if (generation === state.webhooksGeneration) $('webhooks-loading').hidden = true;
  }
}

function chosenEvents() {
  return [...$('webhook-events').querySelectorAll('input[name="event"]:checked')].map((box) => box.value);
}

/** Add Endpoint: registers it, then shows its signing secret, this once. */
async function createWebhook(submit) {
  clearMessages('webhooks');
  const account = state.account;
  const body = { url: $('webhook-url').value, events: chosenEvents() };
  const { secret, ...endpoint } = await busy(submit, () => api('POST', webhooksPath(account), body));
  if (account !== state.account) return; // switched account meanwhile: the secret is not shown
  $('webhook-form').hidden = true;
  $('webhook-form').reset();
  await loadWebhooks();
  notify(`Added the endpoint ${endpoint.url}. Send it a test event to check that it receives them.`, 'webhooks');
  showSecretOnce(endpoint, secret, 'added');
}

/** Send test: a signed webhook.test event, posted at once; the row shows how it went. */
async function sendTest(endpoint, control) {
  clearMessages('webhooks');
  const account = state.account;
  const delivery = await busy(control, () => api('POST', `${webhookPath(account, endpoint.id)}/test`));
  if (account !== state.account) return;
  const listed = state.webhooks.get(endpoint.id);
  if (listed) {
    // as the API now holds it: the test's attempt first among the last 10
    listed.lastDelivery = delivery;
    listed.recentDeliveries = [delivery, ...(listed.recentDeliveries || [])].slice(0, RECENT_DELIVERIES);
    const shown = webhookRowOf(endpoint.id)?.querySelector('td.delivery');
    shown?.replaceWith(deliveryCell(listed, Boolean(shown.querySelector('details.recent')?.open)));
  }
  if (delivery.outcome === 'delivered') {
    notify(`The test event was delivered to ${endpoint.url}: ${answerSentence(delivery)}.`, 'webhooks');
  } else {
    warn(`The test event was not delivered to ${endpoint.url}: ${answerSentence(delivery)}.`, 'webhooks');
  }
}

export function wireWebhooks() {
  const choices = $('webhook-events');
  for (const [type, words] of EVENT_TYPES) {
    const label = document.createElement('label');
    const box = Object.assign(document.createElement('input'), { type: 'checkbox', name: 'event', value: type });
    box.defaultChecked = true;
    const code = document.createElement('code');
    code.textContent = type;
    const what = document.createElement('span');
    what.className = 'muted';
    what.textContent = words;
    const text = document.createElement('span'); // wraps beside the box, not under it
    text.append(code, ' ', what);
    label.append(box, text);
    choices.append(label);
  }

  $('add-webhook').addEventListener('click', () => {
    clearMessages('webhooks');
    $('webhook-form').hidden = false;
    $('webhook-url').focus();
  });
  $('webhook-cancel').addEventListener('click', () => {
    clearMessages('webhooks');
    $('webhook-form').hidden = true;
    $('webhook-form').reset();
    $('add-webhook').focus();
  });
  $('webhook-form').addEventListener('submit', (event) => {
    event.preventDefault();
    attempt(() => createWebhook(event.submitter), 'webhooks');
  });
  $('webhooks-refresh').addEventListener('click', () => {
    clearMessages('webhooks');
    attempt(() => busy($('webhooks-refresh'), loadWebhooks), 'webhooks');
  });

  // each row's Send test, Rotate secret and Delete (row() marks them with data-action)
  $('webhooks-list').querySelector('tbody').addEventListener('click', (event) => {
    const control = event.target.closest('button[data-action]');
    const endpoint = control && state.webhooks.get(control.closest('tr').dataset.webhookId);
    if (!endpoint) return;
    clearMessages('webhooks');
    if (control.dataset.action === 'test') attempt(() => sendTest(endpoint, control), 'webhooks');
    else if (control.dataset.action === 'rotate') confirmRotateWebhook(endpoint);
    else if (control.dataset.action === 'delete') confirmDeleteWebhook(endpoint);
  });

  wireSecretDialogs();
  wireDeleteDialog();
}
