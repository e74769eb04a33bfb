// A webhook endpoint's signing secret: shown once, when the endpoint is added or its secret
// rotated, in a dialog with Copy; it leaves the page when the dialog closes. Rotate secret asks
// first, and how long the current secret keeps signing beside the new one (a day unless chosen
// otherwise): after that the receiver refuses deliveries until it is given the new one.

import { api } from './api.js';
import { $, state, webhookPath } from './state.js';
import { attempt, busy, notify } from './messages.js';
import { describeEndpoint } from './cells.js';
import { copyField } from './edit.js';
import { formatTime } from './times.js';
import { webhookRowOf } from './webhooks.js';

const OVERLAP_WORDS = { 3600: '1 hour', 86400: '24 hours' };

function overlapChoice() {
  return Number($('webhook-rotate-dialog').querySelector('input[name="overlap"]:checked').value);
}

/** What happens to the current secret with the chosen overlap, in words. */
function describeOverlap() {
  const seconds = overlapChoice();
  if (!seconds) {
    $('webhook-rotate-overlap').textContent = 'The current secret stops working immediately: your receiver refuses '
      + 'the deliveries until it is given the new secret.';
  } else {
    const until = formatTime(new Date(Date.now() + seconds * 1000).toISOString());
    $('webhook-rotate-overlap').textContent = `The current secret keeps working for ${OVERLAP_WORDS[seconds]}, until `
      + `about ${until}: each delivery until then is signed with both, so your receiver can switch to the new `
      + 'secret meanwhile. After that it refuses the deliveries until it has the new one.';
  }
}

let shownFor = null; // { id, how } of the endpoint whose secret the dialog shows, to return focus to it

/**
 * Opens the dialog with the secret; `how` is 'added' or 'rotated', and `previous` says what
 * became of the secret a rotation replaced.
 */
export function showSecretOnce(endpoint, secret, how, previous = null) {
  shownFor = { id: endpoint.id, how };
  $('webhook-secret-title').textContent = how === 'rotated' ? 'New signing secret' : 'Endpoint added: its signing secret';
  $('webhook-secret-for').textContent = `For ${endpoint.url}`;
  $('webhook-secret-previous').textContent = previous || '';
  $('webhook-secret-previous').hidden = !previous;
  $('webhook-secret').value = secret;
  $('webhook-secret-copy').textContent = 'Copy';
  const dialog = $('webhook-secret-dialog');
  dialog.returnValue = '';
  dialog.showModal();
  $('webhook-secret').focus();
  $('webhook-secret').select();
}

export function confirmRotateWebhook(endpoint) {
  state.webhookAction = endpoint;
  describeEndpoint($('webhook-rotate-which'), endpoint);
  const dialog = $('webhook-rotate-dialog');
  dialog.querySelector('form').reset(); // each rotation starts from the default: 24 hours
  describeOverlap();
  dialog.returnValue = '';
  dialog.showModal();
}

async function rotateWebhookSecret(endpoint, overlapSeconds) {
  const account = state.account;
  const control = webhookRowOf(endpoint.id)?.querySelector('button[data-action="rotate"]');
  const rotated = await busy(control, () => api('POST', `${webhookPath(account, endpoint.id)}/rotate-secret`, { overlapSeconds }));
  if (account !== state.account) return; // switched account meanwhile: the secret is not shown
  const previous = rotated.previousSecretValidUntil
    ? `The previous secret keeps working beside it until ${formatTime(rotated.previousSecretValidUntil)}, then stops working.`
    : 'The previous secret stopped working immediately.';
  notify(`The endpoint ${endpoint.url} has a new signing secret: deliveries are signed with it from now on. ${previous}`, 'webhooks');
  showSecretOnce(endpoint, rotated.secret, 'rotated', previous);
}

export function wireSecretDialogs() {
  $('webhook-secret-copy').addEventListener('click', () => copyField($('webhook-secret'), $('webhook-secret-copy')));
  $('webhook-secret-dialog').addEventListener('close', () => {
    // shown once: the secret leaves the page with the dialog
    $('webhook-secret').value = '';
    const shown = shownFor;
    shownFor = null;
    // a new endpoint: its row, as a new key gets focus; a rotation: back to its Rotate secret
    const row = shown && webhookRowOf(shown.id);
    const rotate = row?.querySelector('button[data-action="rotate"]');
    if (shown?.how === 'rotated' && rotate) rotate.focus();
    else if (row) row.focus();
    else $('webhooks-title').focus();
  });
  $('webhook-rotate-dialog').addEventListener('change', describeOverlap);
  $('webhook-rotate-dialog').addEventListener('close', () => {
    const endpoint = state.webhookAction;
    state.webhookAction = null;
    if (!endpoint) return;
    if ($('webhook-rotate-dialog').returnValue === 'rotate') {
      const overlapSeconds = overlapChoice();
      attempt(() => rotateWebhookSecret(endpoint, overlapSeconds), 'webhooks');
    }
    else webhookRowOf(endpoint.id)?.querySelector('button[data-action="rotate"]')?.focus();
  });
}
