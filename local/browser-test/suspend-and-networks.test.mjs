// Suspending a key and pinning it to networks from the console, and reading why a check was
// refused: Edit's Suspend button refuses the key's next request and Resume lets it in again; the
// Networks field refuses requests from elsewhere (the local API passes the socket's address, so a
// request from this machine comes from 127.0.0.1); the usage section then names the last denial.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiCall, axeViolations, startBrowser, startKeyward } from './stack.mjs';

const TIMEOUT = 15_000;

describe('Suspend, networks and the last denial in the console', { timeout: 300_000 }, () => {
  let keyward;
  let browser;
  let page;
  const account = `suspend-${Date.now()}`;
  const keyRow = (name) => page.getByRole('table', { name: 'API keys', exact: true }).getByRole('row').filter({ hasText: name });

  before(async () => {
    keyward = await startKeyward();
    browser = await startBrowser();
    page = await browser.context.newPage();
    page.setDefaultTimeout(TIMEOUT);
  });

  after(async () => {
    await browser?.close();
    await keyward?.stop();
  });

  const whoami = (key) => fetch(`${keyward.url}/whoami`, {
    headers: { Authorization: `Basic ${Buffer.from(`${key.clientId}:${key.clientSecret}`).toString('base64')}` },
  }).then((response) => response.status);

  test('Suspend refuses the key at its next request, Resume lets it in again, and the list shows it', async () => {
    const created = await apiCall(keyward.url, 'POST', `/accounts/${account}/keys`, { name: 'Warehouse Dashboard' });
    assert.equal(created.status, 201);
    assert.equal(await whoami(created.json), 200);
    await page.goto(`${keyward.url}/#${account}`);

    await keyRow('Warehouse Dashboard').getByRole('button', { name: 'Edit Warehouse Dashboard' }).click();
    const dialog = page.getByRole('dialog', { name: 'Warehouse Dashboard' });
    await dialog.getByRole('button', { name: 'Suspend key' }).click();
    await dialog.getByText('Suspended. Every request with this key is refused until you resume it.').waitFor();
    assert.equal(await whoami(created.json), 401, 'the very next request');
    assert.deepEqual(await axeViolations(page), []);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await keyRow('Warehouse Dashboard').getByText('Suspended', { exact: true }).waitFor();

    await keyRow('Warehouse Dashboard').getByRole('button', { name: 'Edit Warehouse Dashboard' }).click();
    await dialog.getByRole('button', { name: 'Resume key' }).click();
    await dialog.getByText('Resumed. The key works again from its next request.').waitFor();
    assert.equal(await whoami(created.json), 200);
    await dialog.getByRole('button', { name: 'Done' }).click();

    const activity = page.getByRole('table', { name: 'Activity', exact: true });
    await activity.getByRole('row').filter({ hasText: 'Suspended' }).waitFor();
    await activity.getByRole('row').filter({ hasText: 'Resumed' }).waitFor();
  });

  test('Networks refuse a request from elsewhere, and Edit says why the last one was refused', async () => {
    const created = await apiCall(keyward.url, 'POST', `/accounts/${account}/keys`, { name: '3PL Integration' });
    await page.reload(); // the same page: the list as it is now
    await keyRow('3PL Integration').getByRole('button', { name: 'Edit 3PL Integration' }).click();
    const dialog = page.getByRole('dialog', { name: '3PL Integration' });

    await dialog.getByLabel('Networks').fill('10.1.2.3/8');
    await dialog.getByRole('button', { name: 'Update access' }).click();
    const error = dialog.locator('#edit-cidrs-error');
    await error.waitFor();
    assert.match(await error.textContent(), /allowedCidrs\[0\] has bits set after its \/8 prefix/);

    await dialog.getByLabel('Networks').fill('10.0.0.0/8');
    await dialog.getByRole('button', { name: 'Update access' }).click();
    await dialog.getByText(/works only from 10\.0\.0\.0\/8/).waitFor();
    assert.equal(await whoami(created.json), 403, 'this machine is 127.0.0.1, outside 10.0.0.0/8');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await keyRow('3PL Integration').getByText('Only from 10.0.0.0/8').waitFor();

    await keyRow('3PL Integration').getByRole('button', { name: 'Edit 3PL Integration' }).click();
    const last = dialog.locator('#usage-last-denial');
    await last.waitFor();
    assert.match(await last.textContent(),
      /^Last refused just now: the request came from outside the key's networks \(GET \/whoami from 127\.0\.0\.1\)\.$/);
    assert.match(await dialog.locator('#usage-summary').textContent(),
      /0 allowed requests and 1 denied request in the last 30 days \(denied: 1 outside its networks\)\./);
    await dialog.getByRole('button', { name: 'Done' }).click();
  });
});
