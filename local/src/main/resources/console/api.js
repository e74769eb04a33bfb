// How the console reaches the Keyward API. Locally (`make run`) the API is on the page's own
// origin and takes unsigned calls. Deployed, config.json names the API's URL and how admins
// sign in; every call is then signed with SigV4 using the admin's temporary AWS credentials
// (see auth.js), as API Gateway's AWS_IAM authorization requires.

/** A failed call, with what the API said: status, stable code, and the detail worth showing. */
export class ApiError extends Error {
  constructor(message, { status = 0, code = null, title = null } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.title = title;
  }
}

let fetchBase = '';
let signingBase = '';
let signer = null;

/**
 * Signs every call. Deployed, the console's CloudFront distribution passes /accounts/* on to the
 * API stage, so the page fetches its own origin (no CORS) while the signature is for the API's
 * own URL, which is the host and path API Gateway checks it against.
 * @param {object} options
 * @param {string} options.fetchBase   where calls are sent ('' for the page's own origin)
 * @param {string} options.signingBase the stage's invoke URL, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/prod
 * @param {(request: {method: string, url: string, headers: object, body: string}) => Promise<object>} options.sign
 *        resolves to the headers to send
 */
export function useSignedApi({ fetchBase: sendTo = '', signingBase: signFor, sign }) {
  fetchBase = sendTo.replace(/\/$/, '');
  signingBase = signFor.replace(/\/$/, '');
  signer = sign;
}

/** Calls the API; resolves to the JSON body (or null), rejects with an ApiError worth showing. */
export async function api(method, path, body) {
  const url = fetchBase + path;
  let headers = { Accept: 'application/json' };
  const payload = body === undefined ? '' : JSON.stringify(body);
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (signer) headers = await signer({ method, url: signingBase + path, headers, body: payload });
  let response;
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : payload });
  } catch (e) {
    throw new ApiError(`Could not reach the Keyward API (${e.message}). Is it still running?`);
  }
  const text = await response.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!response.ok) {
    const detail = json && (json.detail || json.message);
    const title = (json && json.title) || response.statusText || 'Error';
    const code = (json && json.code) || null;
    throw new ApiError(detail || `${title} (HTTP ${response.status}).`, { status: response.status, code, title });
  }
  return json;
}
