// Expiry, scopes and networks: the API speaks RFC 3339 UTC, the form fields local time.

import { timeElement } from './times.js';

/** A datetime-local field's value (local time) as RFC 3339 UTC in whole seconds, or null when empty. */
export function expiryFromField(value) {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An RFC 3339 time as a datetime-local field's value, in local time. */
export function expiryToField(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function scopesFromField(value) {
  return value.split(/[\s,]+/).filter(Boolean);
}

/** CIDR ranges, separated by spaces or commas, as the field holds them; [] for any address. */
export const cidrsFromField = scopesFromField;

/** Under the key's name in the list: suspended, expired or when it will, its scopes and networks. */
export function accessLine(key) {
  const line = document.createElement('span');
  line.className = 'access-line';
  if (key.status === 'disabled') {
    const badge = document.createElement('span');
    badge.className = 'badge disabled';
    badge.textContent = 'Suspended';
    line.append(badge);
    if (key.expiresAt) line.append(' Expires ', timeElement(key.expiresAt));
  } else if (key.status === 'expired') {
    const badge = document.createElement('span');
    badge.className = 'badge expired';
    badge.textContent = 'Expired';
    line.append(badge, ' ', timeElement(key.expiresAt));
  } else if (key.expiresAt) {
    line.append('Expires ', timeElement(key.expiresAt));
  }
  if (key.scopes && key.scopes.length) {
    const scopes = document.createElement('span');
    scopes.className = 'scopes';
    scopes.textContent = key.scopes.join(' ');
    line.append(scopes);
  }
  if (key.allowedCidrs && key.allowedCidrs.length) {
    const networks = document.createElement('span');
    networks.className = 'networks';
    networks.textContent = `Only from ${key.allowedCidrs.join(', ')}`;
    line.append(networks);
  }
  return line.childNodes.length ? line : null;
}
