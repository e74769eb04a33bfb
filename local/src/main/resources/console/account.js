// The account: which company's keys and webhooks the page shows, from the page's hash, the last one
// opened, or the one a deployed console's admin is confined to; and its settings, the key policy
// (GET/PATCH /accounts/{id}/settings). Only the account's owners may read them: for anyone else
// the Key policy section stays hidden, and a refused create or edit still says in the API's
// words what the policy asks for. The section wires its own form.

import { api, ApiError } from './api.js';
import { $, state } from './state.js';
import { attempt, busy, clearMessages, notify } from './messages.js';
import { loadKeys } from './keys.js';
import { loadActivity } from './activity.js';
import { loadWebhooks } from './webhooks.js';

const ACCOUNT_KEY = 'keyward.account';
const KNOWN_KEY = 'keyward.accounts';

const settingsPath = (account) => `/accounts/${encodeURIComponent(account)}/settings`;
// the open account's settings as last read or saved; null while unknown or not ours to read
let settings = null;

function rememberAccount(account) {
  localStorage.setItem(ACCOUNT_KEY, account);
  const known = new Set(JSON.parse(localStorage.getItem(KNOWN_KEY) || '[]'));
  known.add(account);
  localStorage.setItem(KNOWN_KEY, JSON.stringify([...known].slice(-20)));
  const list = $('known-accounts');
  list.replaceChildren(...[...known].map((a) => Object.assign(document.createElement('option'), { value: a })));
}

export async function openAccount(account) {
  state.account = account;
  $('account-id').value = account;
  $('crumb-account').textContent = account;
  if (location.hash !== `#${encodeURIComponent(account)}`) history.replaceState(null, '', `#${encodeURIComponent(account)}`);
  rememberAccount(account);
  clearMessages();
  clearMessages('policy');
  state.names.clear();
  $('events').querySelector('tbody').replaceChildren();
  $('events-more').hidden = true;
  await loadKeys();
  // endpoints that cannot be loaded say so in their section; Activity loads all the same
  await attempt(() => loadWebhooks(), 'webhooks');
  await loadActivity();
  await loadSettings();
}

export function initialAccount(fixed) {
  if (fixed) return fixed;
  const fromHash = decodeURIComponent(location.hash.slice(1));
  return fromHash || localStorage.getItem(ACCOUNT_KEY) || 'acme';
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/** What the policy asks of a key, as the end of a sentence ("expire within 90 days and ..."), or null for nothing. */
function policyRules(current) {
  const rules = [];
  if (current?.maxKeyLifetimeDays) rules.push(`expire within ${plural(current.maxKeyLifetimeDays, 'day', 'days')}`);
  if (current?.requireScopes) rules.push('have at least one scope');
  return rules.length ? rules.join(' and ') : null;
}

/** The Key policy section, and the notes on the policy in Add an API Key and Edit. */
function showSettings() {
  const rules = policyRules(settings);
  const notes = {
    'create-policy-note': rules && `This account's key policy: every key must ${rules}.`,
    'edit-policy-note': rules && `This account's key policy applies to a new expiry or new scopes: a key must ${rules}.`,
  };
  for (const [id, text] of Object.entries(notes)) {
    $(id).textContent = text || '';
    $(id).hidden = !text;
  }
  // "(optional)" beside Expires and Scopes in Add an API Key, unless the policy requires them
  document.querySelector('label[for="key-expires"] .muted').hidden = Boolean(settings?.maxKeyLifetimeDays);
  document.querySelector('label[for="key-scopes"] .muted').hidden = Boolean(settings?.requireScopes);
  $('key-policy').hidden = !settings;
  if (!settings) return;
  $('policy-lifetime').value = settings.maxKeyLifetimeDays ?? '';
  $('policy-scopes').checked = settings.requireScopes;
  $('policy-retention').value = settings.expiredKeyRetentionDays ?? '';
}

/** Reads the open account's settings; an admin who may not (403) just does not see them. */
export async function loadSettings() {
  const account = state.account;
  settings = null;
  showSettings();
  let read;
  try {
    read = await api('GET', settingsPath(account));
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) return;
    throw e;
  }
  if (account !== state.account) return; // switched account meanwhile
  settings = read;
  showSettings();
}

/** A days field: null when empty (no cap, keep expired keys), else the number typed, for the API to judge. */
function daysFromField(value) {
  return value.trim() === '' ? null : Number(value);
}

/** Saves the Key policy section; only what changed is sent. */
export async function saveSettings(control) {
  if (!settings) return;
  const account = state.account;
  clearMessages('policy');
  const wanted = {
    maxKeyLifetimeDays: daysFromField($('policy-lifetime').value),
    requireScopes: $('policy-scopes').checked,
    expiredKeyRetentionDays: daysFromField($('policy-retention').value),
  };
  const body = Object.fromEntries(Object.entries(wanted).filter(([name, value]) => value !== settings[name]));
  if (Object.keys(body).length === 0) {
    notify('The key policy is unchanged.', 'policy');
    return;
  }
  const saved = await busy(control, () => api('PATCH', settingsPath(account), body));
  if (account !== state.account) return; // switched account meanwhile
  settings = saved;
  showSettings();
  const rules = policyRules(saved);
  notify(`Saved. ${rules ? `Every new key must ${rules}.` : 'New keys need no expiry and no scopes.'}`, 'policy');
}

$('policy-form').addEventListener('submit', (event) => {
  event.preventDefault();
  attempt(() => saveSettings(event.submitter), 'policy');
});
