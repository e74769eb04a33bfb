// The pieces the page's tables and confirmations are built of. Key names are user input, so
// they only ever go in textContent.

import { formatTime, timeElement } from './times.js';

export function cell(label, className) {
  const td = document.createElement('td');
  td.dataset.label = label;
  if (className) td.className = className;
  return td;
}

export function timeCell(label, iso, empty) {
  const td = cell(label);
  if (iso) {
    td.append(timeElement(iso));
  } else {
    td.textContent = empty;
    td.classList.add('muted');
  }
  return td;
}

/** A button; with no onClick, the table it sits in handles its clicks (see keys.js). */
export function button(label, className, onClick, description) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.className = className;
  if (description) b.setAttribute('aria-label', description);
  if (onClick) b.addEventListener('click', onClick);
  return b;
}

/** Name, Client ID and creation time: what tells two keys of the same name apart. */
export function describeKey(list, key) {
  describe(list, [['Name', key.name], ['Client ID', key.clientId], ['Created', formatTime(key.createdAt)]]);
}

/** A webhook endpoint's URL, events and when it was added (one URL may be registered twice). */
export function describeEndpoint(list, endpoint) {
  describe(list, [['URL', endpoint.url], ['Events', endpoint.events.join(' ')], ['Added', formatTime(endpoint.createdAt)]]);
}

function describe(list, entries) {
  list.replaceChildren(...entries.flatMap(([term, value]) => {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    return [dt, dd];
  }));
}
