// AWS Signature Version 4 for the deployed console's calls to the Keyward API (API Gateway's
// AWS_IAM authorization), with the browser's WebCrypto. Only what execute-api needs: a header
// signature over host, the x-amz-* headers and the headers the page sends.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html

const encoder = new TextEncoder();

const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');

async function sha256(data) {
  return hex(await crypto.subtle.digest('SHA-256', typeof data === 'string' ? encoder.encode(data) : data));
}

async function hmac(key, data) {
  const cryptoKey = await crypto.subtle.importKey('raw', typeof key === 'string' ? encoder.encode(key) : key,
    { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(data));
}

/** RFC 3986 percent-encoding, as SigV4 requires (encodeURIComponent leaves !'()* alone). */
function encode(text) {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Each path segment encoded again (services other than S3 sign the already-encoded path). */
function canonicalPath(pathname) {
  return pathname.split('/').map(encode).join('/') || '/';
}

function canonicalQuery(searchParams) {
  return [...searchParams.entries()]
    .map(([name, value]) => [encode(name), encode(value)])
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** 20150830T123600Z */
function amzDate(date) {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * The headers to send: the given ones plus x-amz-date, x-amz-security-token (for temporary
 * credentials) and authorization.
 * @param {object} request   { method, url (what is signed, the API's own URL), headers, body (string) }
 * @param {object} signing   { accessKeyId, secretAccessKey, sessionToken?, region, service?, now? }
 */
export async function sign(request, signing) {
  const { accessKeyId, secretAccessKey, sessionToken, region, service = 'execute-api', now = new Date() } = signing;
  const url = new URL(request.url);
  const stamp = amzDate(now);
  const day = stamp.slice(0, 8);
  const headers = { ...request.headers, 'X-Amz-Date': stamp };
  if (sessionToken) headers['X-Amz-Security-Token'] = sessionToken;

  const signed = new Map([['host', url.host]]);
  for (const [name, value] of Object.entries(headers)) {
    signed.set(name.toLowerCase(), String(value).trim().replace(/\s+/g, ' '));
  }
  const names = [...signed.keys()].sort();
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath(url.pathname),
    canonicalQuery(url.searchParams),
    names.map((name) => `${name}:${signed.get(name)}\n`).join(''),
    names.join(';'),
    await sha256(request.body || ''),
  ].join('\n');

  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', stamp, scope, await sha256(canonicalRequest)].join('\n');
  let key = await hmac(`AWS4${secretAccessKey}`, day);
  for (const part of [region, service, 'aws4_request']) key = await hmac(key, part);
  const signature = hex(await hmac(key, stringToSign));

  headers.Authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return headers;
}
