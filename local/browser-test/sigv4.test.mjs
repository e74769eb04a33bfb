// The deployed console signs its API calls with SigV4 (console/sigv4.js through api.js): checked
// against AWS's published test vector and against botocore, the AWS SDK for Python's signer.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { root } from './stack.mjs';

const consoleDir = join(root, 'local/src/main/resources/console');
const { sign } = await import(join(consoleDir, 'sigv4.js'));
const { api, useSignedApi } = await import(join(consoleDir, 'api.js'));

const CREDENTIALS = {
  accessKeyId: 'ASIAEXAMPLEKEYWARD01',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+token=',
  region: 'eu-west-1',
};
const NOW = new Date('2026-11-28T06:15:00Z');

/** The headers botocore sends for the same request (run with the project's venv). */
function botocore(request, signing) {
  const python = join(root, process.env.VENV || '.venv', 'bin/python');
  const input = JSON.stringify({
    ...request, ...signing, service: signing.service || 'execute-api',
    amzDate: signing.now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, ''),
  });
  return JSON.parse(execFileSync(python, [join(root, 'local/browser-test/botocore_sign.py')], { input, encoding: 'utf8' }));
}

describe('SigV4 in the console', () => {
  test('AWS\'s get-vanilla test vector', async () => {
    const headers = await sign({ method: 'GET', url: 'https://example.amazonaws.com/', headers: {}, body: '' }, {
      accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      region: 'us-east-1', service: 'service', now: new Date('2015-08-30T12:36:00Z'),
    });
    assert.equal(headers['X-Amz-Date'], '20150830T123600Z');
    assert.equal(headers.Authorization, 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, '
      + 'SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
  });

  const requests = {
    'a create, with a body and temporary credentials': {
      method: 'POST', url: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/accounts/acme/keys',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' }, body: '{"name":"Warehouse Dashboard ✓"}',
    },
    'a page, with a query to sort and encode': {
      method: 'GET', url: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/accounts/acme/audit?limit=20&cursor=a%2Bb%2Fc%3D%3D',
      headers: { Accept: 'application/json' }, body: '',
    },
    'a delete': {
      method: 'DELETE', url: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/accounts/acme_1-x/keys/key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3',
      headers: { Accept: 'application/json' }, body: '',
    },
  };
  for (const [name, request] of Object.entries(requests)) {
    test(`signs ${name} exactly as botocore does`, async () => {
      const ours = await sign(request, { ...CREDENTIALS, now: NOW });
      const theirs = botocore(request, { ...CREDENTIALS, now: NOW });
      assert.equal(ours.Authorization, theirs.Authorization);
      assert.equal(ours['X-Amz-Date'], theirs['X-Amz-Date']);
      assert.equal(ours['X-Amz-Security-Token'], CREDENTIALS.sessionToken);
    });
  }

  test('every call the console makes is sent to its own origin, signed for the API\'s URL', async () => {
    const sent = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (url, init) => {
      sent.push({ url, init });
      return new Response('{"id":"key_1"}', { status: 201, headers: { 'Content-Type': 'application/json' } });
    };
    try {
      const signingBase = 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod';
      useSignedApi({ fetchBase: '', signingBase, sign: (request) => sign(request, { ...CREDENTIALS, now: NOW }) });
      await api('POST', '/accounts/acme/keys', { name: 'Warehouse Dashboard' });
    } finally {
      globalThis.fetch = realFetch;
    }
    assert.equal(sent.length, 1);
    assert.equal(sent[0].url, '/accounts/acme/keys', 'through the console\'s CloudFront, which passes it to the stage');
    const expected = botocore({
      method: 'POST', url: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/accounts/acme/keys',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' }, body: sent[0].init.body,
    }, { ...CREDENTIALS, now: NOW });
    assert.equal(sent[0].init.headers.Authorization, expected.Authorization);
    assert.equal(sent[0].init.headers['X-Amz-Security-Token'], CREDENTIALS.sessionToken);
  });
});
