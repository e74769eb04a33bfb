// Webhooks in the console, against a receiver on this machine (the local API allows http to
// loopback addresses): add an endpoint with chosen events, see its signing secret once and copy
// it, see it listed, send a test event that the receiver gets signed with that secret and see the
// delivery in the list, rotate the secret (the next test is signed with the new one and, for the
// overlap chosen, the old one) and delete the endpoint after the warning. Failed deliveries and
// refused URLs are shown in words.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { apiCall, axeViolations, root, startBrowser, startKeyward } from './stack.mjs';

const TIMEOUT = 15_000;

/** The event types infra/openapi.yaml documents (components.schemas.EventType.enum). */
function documentedEventTypes() {
  const spec = readFileSync(join(root, 'infra/openapi.yaml'), 'utf8');
  const block = /\n {4}EventType:\n {6}type: string\n {6}enum: \[([^\]]*)\]/.exec(spec);
  assert.ok(block, 'openapi.yaml has the EventType enum');
  return block[1].split(',').map((type) => type.trim());
}

/** Whether a delivery's webhook-signature is Standard Webhooks' v1 HMAC of it with this secret. */
function signedWith(delivery, secret) {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const content = `${delivery.headers['webhook-id']}.${delivery.headers['webhook-timestamp']}.${delivery.body}`;
  const expected = `v1,${createHmac('sha256', key).update(content).digest('base64')}`;
  return delivery.headers['webhook-signature'].split(' ').includes(expected);
}

/** A receiver on 127.0.0.1 that keeps what it is posted and answers `status` (200 unless changed). */
async function startReceiver() {
  const receiver = { deliveries: [], status: 200 };
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      receiver.deliveries.push({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(receiver.status).end();
    });
  });
  await new Promise((listening) => server.listen(0, '127.0.0.1', listening));
  receiver.url = `http://127.0.0.1:${server.address().port}/keyward-events`;
  receiver.close = () => new Promise((closed) => server.close(closed));
  return receiver;
}

/** A loopback port that was free a moment ago and that nothing listens on now. */
async function closedPort() {
  const server = createServer();
  await new Promise((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address();
  await new Promise((closed) => server.close(closed));
  return port;
}

describe('Webhooks console', { timeout: 300_000 }, () => {
  let keyward;
  let browser;
  let page;
  let receiver;
  const section = () => page.getByRole('region', { name: 'Webhooks', exact: true });
  const endpoints = () => page.getByRole('table', { name: 'Webhook endpoints', exact: true });
  const endpointRow = (url) => endpoints().getByRole('row').filter({ hasText: url });
  /** A cell's text as it reads on screen, lines joined by a space. */
  const words = async (locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();
  const listed = async (account) => (await apiCall(keyward.url, 'GET', `/accounts/${account}/webhooks`)).json.webhooks;
  /** The row's latest delivery as it reads, without the folded list of recent ones. */
  const latest = (row) => words(row.locator('td[data-label="Last delivery"] .latest'));
  /** Every place the page could keep a value: its markup, every field's value, and both storages. */
  const everythingKept = () => page.evaluate(() => [
    document.documentElement.outerHTML,
    ...[...document.querySelectorAll('input')].map((input) => input.value),
    JSON.stringify({ ...localStorage }),
    JSON.stringify({ ...sessionStorage }),
  ].join('\n'));

  /** Waits for the dialog's close to be handled (the close event comes a moment after it hides). */
  const secretCleared = () => page.waitForFunction(() => document.getElementById('webhook-secret').value === '');

  async function open(account) {
    await page.goto('about:blank'); // a fresh load, not a change of the hash alone
    await page.goto(`${keyward.url}/#${account}`);
    await page.getByText('No API keys yet').waitFor();
  }

  before(async () => {
    receiver = await startReceiver();
    keyward = await startKeyward();
    browser = await startBrowser();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: keyward.url });
    page = await browser.context.newPage();
    page.setDefaultTimeout(TIMEOUT);
  });

  after(async () => {
    await browser?.close();
    await keyward?.stop();
    await receiver?.close();
  });

  test('adds an endpoint, shows its secret once, sends it a signed test event, rotates its secret and deletes it', async () => {
    const account = `hooks-${Date.now()}`;
    await open(account);
    await section().getByText('No webhook endpoints yet').waitFor();

    await section().getByRole('button', { name: 'Add an endpoint' }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'webhook-url', 'focus moves to the URL');
    const boxes = section().getByRole('group', { name: 'Events to send' }).getByRole('checkbox');
    const offered = await boxes.evaluateAll((inputs) => inputs.map((input) => input.value));
    assert.deepEqual(offered, documentedEventTypes(), 'the event types offered are the documented ones');
    for (const box of await boxes.all()) assert.ok(await box.isChecked(), 'every type is ticked to begin with');
    const chosen = offered.filter((type) => type !== 'key.secret_viewed' && type !== 'settings.updated');
    await section().getByRole('checkbox', { name: /key\.secret_viewed/ }).uncheck();
    await section().getByRole('checkbox', { name: /settings\.updated/ }).uncheck();
    await section().getByLabel('Endpoint URL').fill(receiver.url);
    await section().getByRole('button', { name: 'Add Endpoint' }).click();

    // the signing secret, shown this once, with Copy
    const shown = page.getByRole('dialog', { name: 'Endpoint added: its signing secret' });
    await shown.waitFor();
    assert.match(await shown.textContent(), /This secret is shown only once/);
    assert.match(await shown.textContent(), new RegExp(`For ${receiver.url.replace(/[.]/g, '\\.')}`));
    const secretField = shown.getByLabel('Signing secret');
    const secret = await secretField.inputValue();
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'webhook-secret', 'focus is on the secret');
    await shown.getByRole('button', { name: 'Copy' }).click();
    await shown.getByRole('button', { name: 'Copied', exact: true }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
    assert.deepEqual(await axeViolations(page), [], 'the signing secret dialog');
    await shown.getByRole('button', { name: 'I have copied the secret' }).click();
    await shown.waitFor({ state: 'hidden' });
    await secretCleared();
    assert.ok(!(await everythingKept()).includes(secret), 'the secret left the page with the dialog');

    // listed, with the events chosen, and no delivery yet
    const row = endpointRow(receiver.url);
    await row.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.webhookId), await row.getAttribute('data-webhook-id'),
      'focus moves to the new endpoint');
    assert.equal((await row.locator('td[data-label="Events"]').textContent()).trim(), chosen.join(' '));
    assert.equal((await row.locator('td[data-label="Last delivery"]').textContent()).trim(), 'None yet');
    await section().getByRole('status').filter({ hasText: `Added the endpoint ${receiver.url}` }).waitFor();
    const [stored] = await listed(account);
    assert.equal(stored.url, receiver.url);
    assert.deepEqual([...stored.events].sort(), [...chosen].sort());

    // Send test: delivered, signed with the secret shown; the row says how it went
    await row.getByRole('button', { name: `Send test event to ${receiver.url}` }).click();
    await section().getByRole('status').filter({ hasText: `The test event was delivered to ${receiver.url}: it answered HTTP 200.` }).waitFor();
    assert.equal(await latest(row), 'Delivered HTTP 200 webhook.test · just now');
    assert.equal(receiver.deliveries.length, 1);
    const first = receiver.deliveries[0];
    assert.equal(first.method, 'POST');
    assert.equal(JSON.parse(first.body).type, 'webhook.test');
    assert.equal(first.headers['webhook-id'], (await listed(account))[0].lastDelivery.eventId, 'the row shows this delivery');
    assert.ok(signedWith(first, secret), 'the delivery is signed with the secret the console showed');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), 'test', 'focus stays on Send test');

    // Rotate secret: a warning naming the endpoint and saying how long the current secret keeps
    // working (24 hours unless chosen otherwise), then the new secret, shown once
    await row.getByRole('button', { name: `Rotate secret of ${receiver.url}` }).click();
    const rotateWarning = page.getByRole('dialog', { name: 'Rotate the signing secret?' });
    await rotateWarning.waitFor();
    assert.match(await rotateWarning.textContent(), new RegExp(`URL\\s*${receiver.url.replace(/[.]/g, '\\.')}`));
    const keepFor = rotateWarning.getByRole('group', { name: 'How long should the current secret keep working?' });
    assert.equal(await keepFor.getByRole('radio', { name: '24 hours' }).isChecked(), true, 'a day by default');
    assert.match(await rotateWarning.textContent(), /The current secret keeps working for 24 hours, until about .+: each delivery until then is signed with both/);
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cancel', 'the safe choice has focus');
    assert.deepEqual(await axeViolations(page), [], 'the rotate warning');
    await rotateWarning.getByRole('button', { name: 'Rotate Signing Secret' }).click();
    const rotated = page.getByRole('dialog', { name: 'New signing secret' });
    await rotated.waitFor();
    assert.match(await rotated.textContent(), /This secret is shown only once/);
    assert.match(await rotated.textContent(), /The previous secret keeps working beside it until .+, then stops working\./);
    const newSecret = await rotated.getByLabel('Signing secret').inputValue();
    assert.match(newSecret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.notEqual(newSecret, secret);
    await page.keyboard.press('Escape'); // dismissed by Escape too
    await rotated.waitFor({ state: 'hidden' });
    await secretCleared();
    assert.ok(!(await everythingKept()).includes(newSecret), 'the new secret left the page with the dialog');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), 'rotate', 'focus returns to Rotate secret');
    await section().getByRole('status').filter({ hasText: 'The previous secret keeps working beside it until' }).waitFor();

    await row.getByRole('button', { name: `Send test event to ${receiver.url}` }).click();
    await section().getByRole('status').filter({ hasText: 'it answered HTTP 200' }).waitFor();
    assert.equal(receiver.deliveries.length, 2);
    assert.ok(signedWith(receiver.deliveries[1], newSecret), 'signed with the new secret');
    assert.ok(signedWith(receiver.deliveries[1], secret), 'and, for the day, with the old one too');

    // rotated again with no overlap: the secret it replaces stops at once, and the older one too
    await row.getByRole('button', { name: `Rotate secret of ${receiver.url}` }).click();
    await rotateWarning.waitFor();
    await keepFor.getByRole('radio', { name: 'None: it stops working immediately' }).check();
    assert.match(await rotateWarning.textContent(), /The current secret stops working immediately/);
    await rotateWarning.getByRole('button', { name: 'Rotate Signing Secret' }).click();
    await rotated.waitFor();
    assert.match(await rotated.textContent(), /The previous secret stopped working immediately\./);
    const newest = await rotated.getByLabel('Signing secret').inputValue();
    await rotated.getByRole('button', { name: 'I have copied the secret' }).click();
    await secretCleared();
    await row.getByRole('button', { name: `Send test event to ${receiver.url}` }).click();
    await section().getByRole('status').filter({ hasText: 'it answered HTTP 200' }).waitFor();
    assert.equal(receiver.deliveries.length, 3);
    assert.ok(signedWith(receiver.deliveries[2], newest), 'signed with the newest secret');
    assert.ok(!signedWith(receiver.deliveries[2], newSecret) && !signedWith(receiver.deliveries[2], secret), 'and with no other');
    assert.equal(receiver.deliveries[2].headers['webhook-signature'].split(' ').length, 1);

    // Delete: a warning naming the endpoint; then gone, and focus on the section's heading
    await row.getByRole('button', { name: `Delete the endpoint ${receiver.url}` }).click();
    const deleteWarning = page.getByRole('dialog', { name: 'Delete this webhook endpoint?' });
    await deleteWarning.waitFor();
    const warning = await deleteWarning.textContent();
    assert.match(warning, new RegExp(`URL\\s*${receiver.url.replace(/[.]/g, '\\.')}`));
    assert.match(warning, new RegExp(`Events\\s*${chosen.join(' ').replace(/[.]/g, '\\.')}`));
    assert.match(warning, /Nothing more is posted to it/);
    assert.deepEqual(await axeViolations(page), [], 'the delete warning');
    await deleteWarning.getByRole('button', { name: 'Cancel' }).click();
    await deleteWarning.waitFor({ state: 'hidden' });
    assert.equal((await listed(account)).length, 1, 'Cancel deletes nothing');

    await row.getByRole('button', { name: `Delete the endpoint ${receiver.url}` }).click();
    await deleteWarning.getByRole('button', { name: 'Delete Endpoint' }).click();
    await row.waitFor({ state: 'detached' });
    await section().getByText('No webhook endpoints yet').waitFor();
    await section().getByRole('status').filter({ hasText: `Deleted the endpoint ${receiver.url}` }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'webhooks-title', 'focus moves to the heading');
    assert.deepEqual(await listed(account), []);
  });

  test('a test event the endpoint did not take is shown as failed, with its status or what went wrong', async () => {
    const account = `hooks-failed-${Date.now()}`;
    const refused = `http://127.0.0.1:${await closedPort()}/nobody-listens`;
    for (const url of [receiver.url, refused]) {
      const created = await apiCall(keyward.url, 'POST', `/accounts/${account}/webhooks`, { url, events: ['key.deleted'] });
      assert.equal(created.status, 201);
    }
    await open(account);
    await endpointRow(refused).waitFor();

    receiver.status = 503;
    try {
      const row = endpointRow(receiver.url);
      await row.getByRole('button', { name: `Send test event to ${receiver.url}` }).click();
      const alert = section().getByRole('alert');
      await alert.filter({ hasText: `The test event was not delivered to ${receiver.url}: it answered HTTP 503.` }).waitFor();
      assert.equal(await latest(row), 'Failed HTTP 503 webhook.test · just now');
    } finally {
      receiver.status = 200;
    }

    const row = endpointRow(refused);
    await row.getByRole('button', { name: `Send test event to ${refused}` }).click();
    await section().getByRole('alert').filter({ hasText: `not delivered to ${refused}: the connection was refused` }).waitFor();
    assert.equal(await latest(row), 'Failed Connection refused webhook.test · just now');
    const stored = (await listed(account)).find((endpoint) => endpoint.url === refused);
    assert.equal(stored.lastDelivery.error, 'connection_refused', 'the row shows what the API recorded');
  });

  test('each endpoint unfolds its last deliveries, newest first, as the API keeps them', async () => {
    const account = `hooks-recent-${Date.now()}`;
    const created = await apiCall(keyward.url, 'POST', `/accounts/${account}/webhooks`, { url: receiver.url, events: ['key.deleted'] });
    assert.equal(created.status, 201);
    await open(account);
    const row = endpointRow(receiver.url);
    await row.waitFor();
    assert.equal(await row.getByText(/Recent deliveries/).count(), 0, 'nothing to unfold before the first delivery');
    const sendTest = row.getByRole('button', { name: `Send test event to ${receiver.url}` });
    const answered = (status) => section().getByRole(status === 200 ? 'status' : 'alert')
      .filter({ hasText: `it answered HTTP ${status}` });
    const recentOf = () => row.locator('ol.recent-deliveries > li')
      .evaluateAll((items) => items.map((li) => li.innerText.replace(/\s+/g, ' ').trim()));
    const idsInApi = async () => (await listed(account))[0].recentDeliveries.map((delivery) => delivery.eventId);

    try {
      for (const status of [200, 503, 200]) {
        receiver.status = status;
        await sendTest.click();
        await answered(status).waitFor();
      }
    } finally {
      receiver.status = 200;
    }
    const summary = row.getByText('Recent deliveries (3)', { exact: true });
    await summary.waitFor();
    const list = row.locator('ol.recent-deliveries');
    assert.equal(await list.isVisible(), false, 'folded at first');
    await summary.click();
    await list.waitFor();
    const ids = await idsInApi();
    assert.equal(ids.length, 3);
    assert.deepEqual(await recentOf(), [
      `Delivered HTTP 200 webhook.test · just now · attempt 1 · ${ids[0]}`,
      `Failed HTTP 503 webhook.test · just now · attempt 1 · ${ids[1]}`,
      `Delivered HTTP 200 webhook.test · just now · attempt 1 · ${ids[2]}`,
    ], 'newest first, each with its outcome, answer and webhook-id');
    assert.deepEqual(ids, receiver.deliveries.slice(-3).map((d) => d.headers['webhook-id']).reverse(),
      'the webhook-ids the receiver got, newest first');
    assert.deepEqual(await axeViolations(page), [], 'the page with the recent deliveries unfolded');

    // one more: it comes first, and the list stays unfolded
    await sendTest.click();
    await section().getByText('Recent deliveries (4)', { exact: true }).waitFor();
    assert.equal(await list.isVisible(), true, 'still unfolded');
    assert.equal((await recentOf()).length, 4);
    assert.equal((await recentOf())[0], `Delivered HTTP 200 webhook.test · just now · attempt 1 · ${(await idsInApi())[0]}`);

    // a fresh load shows what the API keeps, folded again; the keyboard unfolds it
    await open(account);
    await row.waitFor();
    const again = row.getByText('Recent deliveries (4)', { exact: true });
    await again.waitFor();
    assert.equal(await list.isVisible(), false);
    await again.focus();
    await page.keyboard.press('Enter');
    await list.waitFor();
    assert.deepEqual((await recentOf()).map((line) => line.split(' · ').pop()), await idsInApi());
  });

  test('an endpoint shows its last 10 deliveries, no more', async () => {
    const account = `hooks-ten-${Date.now()}`;
    const created = await apiCall(keyward.url, 'POST', `/accounts/${account}/webhooks`, { url: receiver.url, events: ['key.deleted'] });
    assert.equal(created.status, 201);
    for (let i = 0; i < 12; i++) {
      const test = await apiCall(keyward.url, 'POST', `/accounts/${account}/webhooks/${created.json.id}/test`);
      assert.equal(test.status, 200);
    }
    const [endpoint] = await listed(account);
    assert.equal(endpoint.recentDeliveries.length, 10, 'the API keeps ten');
    await open(account);
    const row = endpointRow(receiver.url);
    await row.getByText('Recent deliveries (10)', { exact: true }).click();
    assert.equal(await row.locator('ol.recent-deliveries > li').count(), 10);
    assert.equal(await row.locator('ol.recent-deliveries > li').first().locator('code.event-id').textContent(),
      endpoint.lastDelivery.eventId, 'the newest first');
  });

  test('a parked delivery says the event waits in the dead-letter queue', async () => {
    const account = `hooks-parked-${Date.now()}`;
    const created = await apiCall(keyward.url, 'POST', `/accounts/${account}/webhooks`, { url: receiver.url, events: ['key.leaked'] });
    assert.equal(created.status, 201);
    // a delivery parked after its 10th attempt takes a day of retries: the list answers as the
    // API would then (WebhookDelivery in openapi.yaml), the rest is the real API's
    const parked = {
      eventId: 'evt_01JD8X3QH7ZK2M4N6P8R0T2V4W', eventType: 'key.leaked', at: new Date(Date.now() - 3 * 3600_000).toISOString(),
      attempt: 10, outcome: 'parked', responseStatus: null, error: 'timeout',
    };
    const before = { ...parked, at: new Date(Date.now() - 15 * 3600_000).toISOString(), attempt: 9, outcome: 'retrying', responseStatus: 502, error: 'http_status' };
    await page.route(`**/accounts/${account}/webhooks`, async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      body.webhooks = body.webhooks.map((endpoint) => ({ ...endpoint, lastDelivery: parked, recentDeliveries: [parked, before] }));
      await route.fulfill({ response, json: body });
    });
    try {
      await open(account);
      const row = endpointRow(receiver.url);
      await row.waitFor();
      assert.equal(await latest(row),
        'Parked Timed out key.leaked · 3 h ago · attempt 10, the last; the event waits in the dead-letter queue');
      assert.equal((await row.locator('td[data-label="Events"]').textContent()).trim(), 'key.leaked');
      await row.getByText('Recent deliveries (2)').click();
      assert.deepEqual(await row.locator('ol.recent-deliveries > li').evaluateAll((items) => items.map((li) => li.innerText.replace(/\s+/g, ' ').trim())), [
        'Parked Timed out key.leaked · 3 h ago · attempt 10 · evt_01JD8X3QH7ZK2M4N6P8R0T2V4W',
        'Retrying HTTP 502 key.leaked · 15 h ago · attempt 9 · evt_01JD8X3QH7ZK2M4N6P8R0T2V4W',
      ], 'the day of retries before it, newest first');
    } finally {
      await page.unroute(`**/accounts/${account}/webhooks`);
    }
  });

  test('endpoints that cannot be loaded say so in their section, and the rest of the page loads', async () => {
    const account = `hooks-unavailable-${Date.now()}`;
    assert.equal((await apiCall(keyward.url, 'POST', `/accounts/${account}/keys`, { name: 'Warehouse Dashboard' })).status, 201);
    // a 503 is what the API answers when AWS throttles it by design
    const detail = 'The service is busy; retry in a moment.';
    await page.route(`**/accounts/${account}/webhooks`, (route) => route.fulfill({
      status: 503, contentType: 'application/problem+json', headers: { 'Retry-After': '1' },
      body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, code: 'unavailable', detail }),
    }));
    try {
      await page.goto('about:blank');
      await page.goto(`${keyward.url}/#${account}`);
      await section().getByRole('alert').filter({ hasText: detail }).waitFor();
      await page.getByRole('table', { name: 'Activity', exact: true }).getByRole('row').filter({ hasText: 'Created' }).waitFor();
      assert.equal(await endpoints().isHidden(), true, 'no empty table of endpoints');
      assert.equal(await section().getByText('No webhook endpoints yet').isHidden(), true, 'nor a claim that there are none');
      assert.equal(await page.locator('#error').isHidden(), true, 'the page\'s own error place stays clear');
    } finally {
      await page.unroute(`**/accounts/${account}/webhooks`);
    }
    await section().getByRole('button', { name: 'Refresh the webhook endpoints' }).click();
    await section().getByText('No webhook endpoints yet').waitFor();
    assert.equal(await section().getByRole('alert').isHidden(), true, 'Refresh clears the error once the list loads');
  });

  test('with the keyboard alone: add an endpoint, copy its secret, send a test event', async () => {
    const account = `hooks-keyboard-${Date.now()}`;
    await open(account);
    const focused = () => page.evaluate(() => {
      const e = document.activeElement;
      return e ? (e.getAttribute('aria-label') || e.textContent.trim() || e.id) : null;
    });
    const tabTo = async (name) => {
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        if (await focused() === name) return;
      }
      assert.fail(`${name} cannot be reached with Tab`);
    };
    await tabTo('Add an endpoint');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'webhook-url');
    await page.keyboard.type(receiver.url);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.value), 'key.created', 'the event types come next');
    await page.keyboard.press('Space');
    assert.equal(await page.evaluate(() => document.activeElement?.checked), false, 'Space unticks one');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter'); // submits the form from its URL field
    const shown = page.getByRole('dialog', { name: 'Endpoint added: its signing secret' });
    await shown.waitFor();
    const secret = await shown.getByLabel('Signing secret').inputValue();
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'Copy');
    await page.keyboard.press('Enter');
    await shown.getByRole('button', { name: 'Copied', exact: true }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'I have copied the secret');
    await page.keyboard.press('Enter');
    await shown.waitFor({ state: 'hidden' });
    await secretCleared();
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'TR', 'focus is on the new endpoint');

    await page.keyboard.press('Tab');
    assert.equal(await focused(), `Send test event to ${receiver.url}`, 'its Send test is the next stop');
    await page.keyboard.press('Enter');
    await section().getByRole('status').filter({ hasText: 'it answered HTTP 200' }).waitFor();
    assert.equal(await focused(), `Send test event to ${receiver.url}`, 'focus stays on Send test');
    const [endpoint] = await listed(account);
    assert.ok(!endpoint.events.includes('key.created'), 'the unticked type is not taken');
    assert.equal(endpoint.lastDelivery.outcome, 'delivered');
  });

  test('shows the API\'s reasons at their fields: a URL that is not public, no event chosen', async () => {
    const account = `hooks-refused-${Date.now()}`;
    await open(account);
    await section().getByRole('button', { name: 'Add an endpoint' }).click();
    const url = section().getByLabel('Endpoint URL');
    assert.equal(await url.getAttribute('maxlength'), '2048', 'the form allows what the API allows');
    await url.fill('http://10.0.0.7/hooks');
    await section().getByRole('button', { name: 'Add Endpoint' }).click();
    const urlError = page.locator('#webhook-url-error');
    await urlError.waitFor();
    assert.match(await urlError.textContent(), /resolves to an address that is not public/, 'the API\'s detail');
    assert.equal(await url.getAttribute('aria-invalid'), 'true');
    assert.match(await url.getAttribute('aria-describedby'), /\bwebhook-url-error\b/, 'the message is tied to the field');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'webhook-url', 'focus goes to the field to correct');
    assert.deepEqual(await axeViolations(page), [], 'the page with a field error');

    await url.fill(receiver.url);
    for (const box of await section().getByRole('checkbox').all()) await box.uncheck();
    await section().getByRole('button', { name: 'Add Endpoint' }).click();
    const eventsError = page.locator('#webhook-events-error');
    await eventsError.waitFor();
    assert.match(await eventsError.textContent(), /'events' must be a non-empty JSON array/);
    assert.equal(await urlError.isHidden(), true, 'the URL\'s error is gone');
    assert.equal(await url.getAttribute('aria-invalid'), null);
    const group = section().getByRole('group', { name: 'Events to send' });
    assert.match(await group.getAttribute('aria-describedby'), /\bwebhook-events-error\b/);
    assert.equal(await page.evaluate(() => document.activeElement?.value), 'key.created', 'focus goes to the first event type');
    assert.deepEqual(await listed(account), [], 'nothing was added');

    await section().getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await page.locator('#webhook-form').isHidden(), true);
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Add an endpoint', 'focus returns to Add');
  });

  test('at 375 px: endpoints as cards, every control on screen, no sideways scrolling', async () => {
    const account = `hooks-375-${Date.now()}`;
    const long = `${receiver.url}/with/a/rather/long/path/that/names/the/integration/it/feeds?team=platform-security`;
    const created = await apiCall(keyward.url, 'POST', `/accounts/${account}/webhooks`, { url: long, events: documentedEventTypes() });
    assert.equal(created.status, 201);
    await page.setViewportSize({ width: 375, height: 800 });
    try {
      await open(account);
      const row = endpointRow(long);
      await row.waitFor();
      await row.getByRole('button', { name: `Send test event to ${long}` }).click();
      await section().getByRole('status').filter({ hasText: 'it answered HTTP 200' }).waitFor();
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 375, 'no sideways scrolling');
      assert.equal((await row.locator('td[data-label="Events"]').textContent()).trim(), 'All events');
      for (const control of await row.getByRole('button').all()) {
        const b = await control.evaluate((e) => e.getBoundingClientRect().toJSON());
        assert.ok(b.left >= 0 && b.right <= 375, `${await control.getAttribute('aria-label')} is on screen (${b.left}..${b.right})`);
      }
      await section().getByRole('button', { name: 'Add an endpoint' }).click();
      const form = await page.locator('#webhook-form').evaluate((e) => e.getBoundingClientRect().toJSON());
      assert.ok(form.right <= 375, 'the form fits');
      assert.deepEqual(await axeViolations(page), [], 'the page at 375 px with an endpoint and the form open');
    } finally {
      await page.setViewportSize({ width: 1200, height: 720 });
    }
  });
});
