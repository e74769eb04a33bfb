// A webhook endpoint's signing secret: shown once, when the endpoint is added or its secret
// rotated, in a dialog with Copy; it leaves the page when the dialog closes. Rotate secret asks
// first, since the receiver refuses deliveries until it is given the new one.

import { api } from './api.js';
import { $, state, webhookPath } from './state.js';
import { attempt, busy, notify } from './messages.js';
import { describeEndpoint } from './cells.js';
import { copyField } from './edit.js';
import { webhookRowOf } from './webhooks.js';

let shownFor = null; // { id, how } of the endpoint whose secret the dialog shows, to return focus to it

/** Opens the dialog with the secret; `how` is 'added' or 'rotated'. */
export function showSecretOnce(endpoint, secret, how) {
  shownFor = { id: endpoint.id, how };
  $('webhook-secret-title').textContent = how === 'rotated' ? 'New signing secret' : 'Endpoint added: its signing secret';
  $('webhook-secret-for').textContent = `For ${endpoint.url}`;
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
  dialog.returnValue = '';
  dialog.showModal();
}

async function rotateWebhookSecret(endpoint) {
  const account = state.account;
  const control = webhookRowOf(endpoint.id)?.querySelector('button[data-action="rotate"]');
  const { secret } = await busy(control, () => api('POST', `${webhookPath(account, endpoint.id)}/rotate-secret`));
  if (account !== state.account) return; // switched account meanwhile: the secret is not shown
  notify(`The endpoint ${endpoint.url} has a new signing secret: deliveries are signed with it from now on.`, 'webhooks');
  showSecretOnce(endpoint, secret, 'rotated');
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
  $('webhook-rotate-dialog').addEventListener('close', () => {
    const endpoint = state.webhookAction;
    state.webhookAction = null;
    if (!endpoint) return;
    if ($('webhook-rotate-dialog').returnValue === 'rotate') attempt(() => rotateWebhookSecret(endpoint), 'webhooks');
    else webhookRowOf(endpoint.id)?.querySelector('button[data-action="rotate"]')?.focus();
  });
}
