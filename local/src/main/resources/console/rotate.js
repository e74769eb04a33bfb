// Rotate the Client Secret, from the Edit dialog: a confirmation that names the key and says
// how long the current secret keeps working, then the new secret in the Edit dialog.

import { api } from './api.js';
import { $, state, keyPath } from './state.js';
import { busy, clearEditMessages, notify } from './messages.js';
import { formatTime } from './times.js';
import { describeKey } from './cells.js';
import { setSecret } from './edit.js';
import { refreshActivity } from './activity.js';

const GRACE_WORDS = { 0: null, 3600: '1 hour', 86400: '24 hours' };

export function graceChoice() {
  return Number($('rotate-dialog').querySelector('input[name="grace"]:checked').value);
}

/** What happens to the current secret with the chosen grace period, in words. */
export function describeGrace() {
  const seconds = graceChoice();
  if (!seconds) {
    $('rotate-effect').textContent = 'The current Client Secret stops working immediately.';
  } else {
    const until = formatTime(new Date(Date.now() + seconds * 1000).toISOString());
    $('rotate-effect').textContent = `The current Client Secret keeps working for ${GRACE_WORDS[seconds]}, until about ${until}, then stops working.`;
  }
}

export function confirmRotate() {
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

export async function rotateKey(editing, graceSeconds) {
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
