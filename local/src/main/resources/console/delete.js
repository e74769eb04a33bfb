// Delete: a confirmation that names the key by its name, Client ID and creation time (names
// may repeat), then the key gone from the list and focus on the list's heading.

import { api } from './api.js';
import { $, state, keyPath } from './state.js';
import { clearMessages, notify } from './messages.js';
import { describeKey } from './cells.js';
import { renderEmpty, rowOf } from './keys.js';
import { refreshActivity } from './activity.js';

export function confirmDelete(key) {
  clearMessages();
  state.deleting = key;
  describeKey($('delete-which'), key);
  $('delete-dialog').returnValue = '';
  $('delete-dialog').showModal();
}

export async function deleteKey(key) {
  await api('DELETE', keyPath(state.account, key.id));
  refreshActivity();
  state.keys.delete(key.id);
  rowOf(key.id)?.remove();
  renderEmpty();
  notify(`Deleted “${key.name}” (${key.clientId}). Integrations that used it can no longer connect.`);
  $('keys-heading').focus();
}
