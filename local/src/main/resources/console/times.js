// Times: relative in lists ("3 min ago"), absolute with the time zone on hover and in dialogs.

const ABSOLUTE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'long' });

export function formatTime(iso) {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : ABSOLUTE.format(date);
}

function relativeTime(iso, now = Date.now()) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const seconds = Math.round((now - date.getTime()) / 1000);
  const ago = (n, unit) => `${n} ${unit} ago`;
  if (seconds < 45) return seconds < -45 ? formatTime(iso) : 'just now';
  if (seconds < 3600) return ago(Math.max(1, Math.round(seconds / 60)), 'min');
  if (seconds < 86400) return ago(Math.round(seconds / 3600), 'h');
  const days = Math.round(seconds / 86400);
  if (days < 30) return days === 1 ? 'yesterday' : ago(days, 'days');
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(date);
}

export function timeElement(iso) {
  const time = document.createElement('time');
  time.dateTime = iso;
  time.title = formatTime(iso);
  time.textContent = relativeTime(iso);
  return time;
}

/** Keeps "3 min ago" true while the page stays open. */
export function refreshRelativeTimes() {
  for (const time of document.querySelectorAll('main time[datetime]')) time.textContent = relativeTime(time.dateTime);
}
