// The account: which company's keys and webhooks the page shows, from the page's hash, the last one
// opened, or the one a deployed console's admin is confined to.

import { $, state } from './state.js';
import { attempt, clearMessages } from './messages.js';
import { loadKeys } from './keys.js';
import { loadActivity } from './activity.js';
import { loadWebhooks } from './webhooks.js';

const ACCOUNT_KEY = 'keyward.account';
const KNOWN_KEY = 'keyward.accounts';

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
  state.names.clear();
  $('events').querySelector('tbody').replaceChildren();
  $('events-more').hidden = true;
  await loadKeys();
  // endpoints that cannot be loaded say so in their section; Activity loads all the same
  await attempt(() => loadWebhooks(), 'webhooks');
  await loadActivity();
}

export function initialAccount(fixed) {
  if (fixed) return fixed;
  const fromHash = decodeURIComponent(location.hash.slice(1));
  return fromHash || localStorage.getItem(ACCOUNT_KEY) || 'acme';
}
