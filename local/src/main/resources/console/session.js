// Where the console's calls go, read from config.json beside the page. Locally (`make run`)
// it names no API: calls go to the page's own origin, unsigned. A deployed console's
// config.json names the API and the sign-in (see auth.js and docs/deploy.md).
import { ApiError } from './api.js';

async function loadConfig() {
  const response = await fetch('/console/config.json', { cache: 'no-store' });
  if (!response.ok) throw new ApiError(`The console's config.json could not be read (HTTP ${response.status}).`);
  return response.json();
}

/** Resolves to { account }: the account this admin may manage, or null when any may be opened. */
export async function start() {
  const config = await loadConfig();
  if (!config.apiUrl) return { account: null };
  const { signIn } = await import('./auth.js');
  return signIn(config);
}
