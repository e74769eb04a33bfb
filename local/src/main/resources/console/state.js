// What the API Keys page shares between its modules: the one `state` object, the element
// lookup, and the API paths of the open account.

export const $ = (id) => document.getElementById(id);

export const state = {
  account: null,
  cursor: null,
  keys: new Map(),
  names: new Map(), // every key name seen for this account, deleted keys' included (the audit has no names)
  deleting: null,
  editing: null, // the key shown in the Edit dialog, and its secret once fetched: { key, secret }
  events: { cursor: null, generation: 0 },
  webhooks: new Map(), // the account's webhook endpoints by id, as listed (never a signing secret)
  webhooksGeneration: 0,
  webhookAction: null, // the endpoint whose rotation or deletion is being confirmed
};

export const keysPath = (account) => `/accounts/${encodeURIComponent(account)}/keys`;
export const keyPath = (account, id) => `${keysPath(account)}/${encodeURIComponent(id)}`;
export const webhooksPath = (account) => `/accounts/${encodeURIComponent(account)}/webhooks`;
export const webhookPath = (account, id) => `${webhooksPath(account)}/${encodeURIComponent(id)}`;
export const auditPath = (account) => `/accounts/${encodeURIComponent(account)}/audit`;
