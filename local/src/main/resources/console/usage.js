// Usage in the Edit dialog: the key's checks per UTC day over the last 30 days, why the denied
// ones were denied, and the last denial in words.

import { api } from './api.js';
import { $, state, keyPath } from './state.js';
import { formatTime, timeElement } from './times.js';

/** Each reason the API names a denial by, in words an admin acts on. */
const REASONS = {
  wrong_secret: 'a wrong or retired Client Secret',
  expired: 'the key had expired',
  disabled: 'the key was suspended',
  ip_not_allowed: "the request came from outside the key's networks",
  scope_missing: "the key's scopes do not open the route",
};
const reasonWords = (reason) => REASONS[reason] || reason;
/** The same, short, for the count of each in the summary. */
const SHORT = {
  wrong_secret: 'wrong secret',
  expired: 'expired',
  disabled: 'suspended',
  ip_not_allowed: 'outside its networks',
  scope_missing: 'route not in its scopes',
};

/** "Last refused 3 min ago: a wrong or retired Client Secret (GET /whoami from 203.0.113.20)." */
function showLastDenial(denial) {
  const line = $('usage-last-denial');
  line.replaceChildren();
  line.hidden = !denial;
  if (!denial) return;
  const when = timeElement(denial.at);
  when.title = formatTime(denial.at);
  const where = [denial.route, denial.sourceIp && `from ${denial.sourceIp}`].filter(Boolean).join(' ');
  line.append('Last refused ', when, `: ${reasonWords(denial.reason)}${where ? ` (${where})` : ''}.`);
}

const USAGE_DAYS = 30;
const SVG = 'http://www.w3.org/2000/svg';

/**
 * The key's checks per UTC day as a small bar chart: allowed in green, denied (a wrong secret
 * with its Client ID) in red above them; the summary under the heading says the same in words.
 */
export async function showUsage(keyId) {
  const summary = $('usage-summary');
  const chart = $('usage-chart');
  summary.textContent = 'Loading…';
  showLastDenial(null);
  chart.setAttribute('hidden', '');
  chart.replaceChildren();
  let usage;
  try {
    usage = await api('GET', `${keyPath(state.account, keyId)}/usage?days=${USAGE_DAYS}`);
  } catch (e) {
    if (state.editing?.key.id === keyId) summary.textContent = 'Usage could not be loaded.';
    return;
  }
  if (state.editing?.key.id !== keyId) return; // another key's dialog meanwhile
  const allowed = usage.days.reduce((sum, d) => sum + d.allowed, 0);
  const denied = usage.days.reduce((sum, d) => sum + d.denied, 0);
  const words = (n, one) => `${n.toLocaleString()} ${one}${n === 1 ? '' : 's'}`;
  const why = {};
  for (const day of usage.days) {
    for (const [reason, count] of Object.entries(day.deniedBy || {})) why[reason] = (why[reason] || 0) + count;
  }
  const reasons = Object.entries(why).filter(([, count]) => count > 0)
    .map(([reason, count]) => `${count.toLocaleString()} ${SHORT[reason] || reason}`);
  summary.textContent = allowed + denied === 0
    ? `Not used in the last ${USAGE_DAYS} days.`
    : `${words(allowed, 'allowed request')} and ${words(denied, 'denied request')} in the last ${USAGE_DAYS} days`
      + (reasons.length ? ` (denied: ${reasons.join('; ')}).` : '.');
  showLastDenial((usage.recentDenials || [])[0]);
  const most = Math.max(1, ...usage.days.map((d) => d.allowed + d.denied));
  const width = 300 / usage.days.length;
  usage.days.forEach((day, i) => {
    const bar = (value, below, kind) => {
      const height = (value / most) * 58;
      const rect = document.createElementNS(SVG, 'rect');
      rect.setAttribute('x', (i * width + 0.5).toFixed(2));
      rect.setAttribute('width', Math.max(1, width - 1).toFixed(2));
      rect.setAttribute('y', (60 - below - height).toFixed(2));
      rect.setAttribute('height', height.toFixed(2));
      rect.setAttribute('class', kind);
      return { rect, height };
    };
    const ok = bar(day.allowed, 0, 'allowed');
    const no = bar(day.denied, ok.height, 'denied');
    const group = document.createElementNS(SVG, 'g');
    group.dataset.date = day.date;
    const title = document.createElementNS(SVG, 'title');
    title.textContent = `${day.date}: ${day.allowed} allowed, ${day.denied} denied`;
    group.append(title, ok.rect, no.rect);
    chart.append(group);
  });
  chart.removeAttribute('hidden'); // an SVG element has no hidden property
}
