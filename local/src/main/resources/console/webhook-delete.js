// Delete a webhook endpoint: a confirmation that names it by URL, events and when it was added
// (one URL may be registered twice), then the endpoint gone from the list and focus on the
// section's heading.

import { api } from './api.js';
import { $, state, webhookPath } from './state.js';
import { attempt, notify } from './messages.js';
import { describeEndpoint } from './cells.js';
import { renderWebhooksEmpty, webhookRowOf } from './webhooks.js';

export function confirmDeleteWebhook(endpoint) {
  state.webhookAction = endpoint;
  describeEndpoint($('webhook-delete-which'), endpoint);
  const dialog = $('webhook-delete-dialog');
  dialog.returnValue = '';
  dialog.showModal();
}

async function deleteWebhook(endpoint) {
  const account = state.account;
  await api('DELETE', webhookPath(account, endpoint.id));
  if (account !== state.account) return;
  state.webhooks.delete(endpoint.id);
  webhookRowOf(endpoint.id)?.remove();
  renderWebhooksEmpty();
  notify(`Deleted the endpoint ${endpoint.url}. Nothing more is posted to it.`, 'webhooks');
  $('webhooks-title').focus();
}

export function wireDeleteDialog() {
  $('webhook-delete-dialog').addEventListener('close', () => {
    const endpoint = state.webhookAction;
    state.webhookAction = null;
    if (endpoint && $('webhook-delete-dialog').returnValue === 'delete') attempt(() => deleteWebhook(endpoint), 'webhooks');
  });
}
