// Messages: to the page, to the Webhooks section, or to the Edit dialog while it is open (the page
// is inert behind it).
// Every failure is shown with the API's own words (the problem+json "detail"), next to the field
// it concerns when there is one.

import { ApiError } from './api.js';
import { $ } from './state.js';

// problem codes that concern one form field (by the input's name); the rest show above the form
const FIELD_CODES = {
  invalid_name: 'name', invalid_expires_at: 'expiresAt', invalid_scopes: 'scopes', invalid_allowed_cidrs: 'allowedCidrs',
  invalid_webhook_url: 'url', invalid_webhook_events: 'events',
  // the account's key policy refusing a key's expiry or scopes (create and Edit), and the policy's own fields
  expiry_required: 'expiresAt', expiry_beyond_policy: 'expiresAt', scopes_required: 'scopes',
  invalid_key_lifetime_days: 'maxKeyLifetimeDays', invalid_retention_days: 'expiredKeyRetentionDays',
};

const PLACES = {
  page: { error: 'error', notice: 'notice', form: 'create-form' },
  rename: { error: 'edit-error', notice: 'rename-status', form: 'rename-form' },
  rotate: { error: 'edit-error', notice: 'secret-status' },
  access: { error: 'edit-error', notice: 'access-status', form: 'access-form' },
  webhooks: { error: 'webhooks-error', notice: 'webhooks-notice', form: 'webhook-form' },
  policy: { error: 'policy-error', notice: 'policy-status', form: 'policy-form' },
  suspend: { error: 'edit-error', notice: 'suspend-status' },
};
const place = (where) => PLACES[where || 'page'];

function clearFieldErrors(form) {
  if (!form) return;
  for (const input of form.querySelectorAll('[aria-invalid="true"]')) {
    input.removeAttribute('aria-invalid');
    const error = $(`${input.id}-error`);
    if (error) error.hidden = true;
    const ids = (input.getAttribute('aria-describedby') || '').split(' ').filter((id) => id && id !== `${input.id}-error`);
    input.setAttribute('aria-describedby', ids.join(' '));
  }
}

/** Shows a message under the form's field, tied to it with aria-describedby; false when the form has no such field. */
function showFieldError(form, fieldName, message) {
  const input = form?.elements[fieldName];
  const error = input && $(`${input.id}-error`);
  if (!error) return false;
  error.textContent = message;
  error.hidden = false;
  input.setAttribute('aria-invalid', 'true');
  const ids = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
  if (!ids.includes(error.id)) ids.push(error.id);
  input.setAttribute('aria-describedby', ids.join(' '));
  // a group of checkboxes (a fieldset) takes no focus: its first box does
  (input.matches('fieldset') ? input.querySelector('input') : input).focus();
  return true;
}

function showError(message, where) {
  const { error, notice } = place(where);
  $(notice).hidden = true;
  $(error).textContent = message;
  $(error).hidden = false;
}

/** An error that is no API failure, such as a test event the endpoint did not take. */
export function warn(message, where) {
  showError(message, where);
}

export function clearMessages(where) {
  const { error, notice, form } = place(where);
  $(error).hidden = true;
  $(notice).hidden = true;
  clearFieldErrors(form && $(form));
}

export function clearEditMessages() {
  clearMessages('rename');
  clearMessages('rotate');
  clearMessages('access');
  clearMessages('suspend');
}

export function notify(message, where) {
  const { error, notice } = place(where);
  $(error).hidden = true;
  $(notice).textContent = message;
  $(notice).hidden = false;
}

/** Runs an action, showing its failure (at its field when it concerns one) instead of losing it. */
export async function attempt(action, where) {
  try {
    await action();
  } catch (e) {
    if (!(e instanceof ApiError)) {
      showError(`Something went wrong in this page: ${e.message}`, where);
      return;
    }
    const field = FIELD_CODES[e.code];
    const form = place(where).form && $(place(where).form);
    if (!field || !showFieldError(form, field, e.message)) showError(e.message, where);
  }
}

/**
 * Disables a button while an action runs, so a double click does not do it twice; a disabled
 * button loses focus, so focus goes back to it afterwards if nothing else took it meanwhile.
 */
export async function busy(control, action) {
  if (!control) return action();
  const focused = document.activeElement === control;
  control.disabled = true;
  try {
    return await action();
  } finally {
    control.disabled = false;
    if (focused && (document.activeElement === document.body || document.activeElement === null)) control.focus();
  }
}
