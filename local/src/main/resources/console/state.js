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
};

export const keysPath = (account) => `/accounts/${encodeURIComponent(account)}/keys`;
export const keyPath = (account, id) => `${keysPath(account)}/${encodeURIComponent(id)}`;
export const auditPath = (account) => `/accounts/${encodeURIComponent(account)}/audit`;
