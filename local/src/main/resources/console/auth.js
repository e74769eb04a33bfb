// Sign-in for the deployed console (docs/deploy.md, "The admin console"): the admin signs in on
// the Cognito user pool's hosted page (authorization code with PKCE), the identity pool trades
// the ID token for temporary AWS credentials of the console's admin role, tagged with the
// admin's Keyward account, and every API call is signed with them (sigv4.js). The role allows
// exactly the routes infra/account-admin-access.yaml grants an owner of that account.
import { ApiError, useSignedApi } from './api.js';
import { sign } from './sigv4.js';

const TOKEN = 'keyward.idToken';
const PKCE = 'keyward.pkce';
const RETURN_TO = 'keyward.returnTo';
const EARLY_MS = 5 * 60 * 1000; // renew credentials this long before they expire

const base64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function claimsOf(jwt) {
  const payload = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0))));
}

function redirectUri() {
  return `${location.origin}/`;
}

/** To the hosted sign-in page; the promise never resolves (the page goes away). */
async function goSignIn(config) {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PKCE, JSON.stringify({ verifier, state }));
  sessionStorage.setItem(RETURN_TO, location.hash);
  const query = new URLSearchParams({
    response_type: 'code', client_id: config.userPoolClientId, redirect_uri: redirectUri(),
    scope: 'openid email', state, code_challenge: challenge, code_challenge_method: 'S256',
  });
  location.assign(`${config.authDomain}/oauth2/authorize?${query}`);
  return new Promise(() => {});
}

/** Back from the sign-in page with ?code=: the ID token, or null when this is no such return. */
async function finishSignIn(config) {
  const params = new URLSearchParams(location.search);
  if (!params.has('code')) return null;
  const pending = JSON.parse(sessionStorage.getItem(PKCE) || 'null');
  sessionStorage.removeItem(PKCE);
  history.replaceState(null, '', `${location.pathname}${sessionStorage.getItem(RETURN_TO) || ''}`);
  if (!pending || pending.state !== params.get('state')) throw new ApiError('The sign-in could not be confirmed; reload the page to sign in again.');
  const response = await fetch(`${config.authDomain}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', client_id: config.userPoolClientId, code: params.get('code'),
      redirect_uri: redirectUri(), code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) throw new ApiError(`Signing in failed (HTTP ${response.status}); reload the page to try again.`);
  return (await response.json()).id_token;
}

async function cognitoIdentity(config, target, body) {
  const response = await fetch(`https://cognito-identity.${config.region}.amazonaws.com/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `AWSCognitoIdentityService.${target}` },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new ApiError(`AWS refused the console's credentials (${json.__type || response.status}): ${json.message || ''}`);
  return json;
}

/** Temporary credentials for the admin role, renewed shortly before they expire. */
function credentialsFor(config, idToken) {
  const logins = { [`cognito-idp.${config.region}.amazonaws.com/${config.userPoolId}`]: idToken };
  let cached = null;
  return async () => {
    if (cached && cached.expiresAt - EARLY_MS > Date.now()) return cached;
    const { IdentityId } = await cognitoIdentity(config, 'GetId', { IdentityPoolId: config.identityPoolId, Logins: logins });
    const { Credentials } = await cognitoIdentity(config, 'GetCredentialsForIdentity', { IdentityId, Logins: logins });
    cached = {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretKey,
      sessionToken: Credentials.SessionToken,
      expiresAt: Credentials.Expiration * 1000,
    };
    return cached;
  };
}

/** Signs the admin in (or resumes the session) and signs the API calls; resolves to { account }. */
export async function signIn(config) {
  const fresh = await finishSignIn(config);
  if (fresh) sessionStorage.setItem(TOKEN, fresh);
  const idToken = sessionStorage.getItem(TOKEN);
  if (!idToken || claimsOf(idToken).exp * 1000 - EARLY_MS < Date.now()) {
    sessionStorage.removeItem(TOKEN);
    return goSignIn(config);
  }
  const claims = claimsOf(idToken);
  const account = claims['custom:accountId'];
  if (!account) throw new ApiError('Your sign-in names no Keyward account: ask whoever runs Keyward to set custom:accountId on your user.');

  const credentials = credentialsFor(config, idToken);
  useSignedApi({
    fetchBase: '',
    signingBase: config.apiUrl,
    sign: async (request) => sign(request, { ...(await credentials()), region: config.region }),
  });

  // one admin, one account: the account picker gives way to who is signed in
  document.getElementById('account-form').hidden = true;
  document.getElementById('session').hidden = false;
  document.getElementById('session-user').textContent = `${claims.email || claims['cognito:username']} · ${account}`;
  document.getElementById('sign-out').addEventListener('click', () => {
    sessionStorage.clear();
    const query = new URLSearchParams({ client_id: config.userPoolClientId, logout_uri: redirectUri() });
    location.assign(`${config.authDomain}/logout?${query}`);
  });
  return { account };
}
