// The admin console as the help article describes it, driven in headless Chromium against
// a local Keyward: add a key, see it listed, read its Client ID and Client Secret under
// Edit, delete it after the warning, and see an API error shown in words.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiCall, startBrowser, startKeyward } from './stack.mjs';

const TIMEOUT = 15_000;

describe('API Keys console', { timeout: 300_000 }, () => {
  let keyward;
  let browser;
  let page;
  const account = `browser-${Date.now()}`;

  before(async () => {
    keyward = await startKeyward();
    browser = await startBrowser();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: keyward.url });
    page = await browser.context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    await page.goto(`${keyward.url}/#${account}`);
    await page.getByText('No API keys yet').waitFor();
  });

  after(async () => {
    await browser?.close();
    await keyward?.stop();
  });

  test('creates "Warehouse Dashboard", shows its Client ID and Secret under Edit, and deletes it', async () => {
    await page.getByRole('button', { name: 'Add an API Key' }).click();
    await page.getByLabel('Name').fill('Warehouse Dashboard');
    await page.getByRole('button', { name: 'Create New API Key' }).click();

    const row = page.getByRole('row').filter({ hasText: 'Warehouse Dashboard' });
    await row.waitFor();
    await page.getByRole('status').filter({ hasText: 'Created “Warehouse Dashboard”' }).waitFor();
    const listedClientId = (await row.locator('code').textContent()).trim();
    assert.match(listedClientId, /^ck_[0-9A-Za-z]{22}$/);

    await row.getByRole('button', { name: 'Edit Warehouse Dashboard' }).click();
    const dialog = page.getByRole('dialog', { name: 'Warehouse Dashboard' });
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('Client ID').inputValue(), listedClientId);
    const secretField = dialog.getByLabel('Client Secret');
    assert.equal(await secretField.getAttribute('type'), 'password', 'the secret is hidden until revealed');
    await dialog.getByRole('button', { name: 'Show' }).click();
    assert.equal(await secretField.getAttribute('type'), 'text');
    const secret = await secretField.inputValue();
    assert.match(secret, /^cs_[0-9A-Za-z]{46}$/);

    await dialog.getByRole('button', { name: 'Copy' }).nth(1).click();
    await dialog.getByRole('button', { name: 'Copied' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);

    // what the page showed is what the API holds
    const keys = (await apiCall(keyward.url, 'GET', `/accounts/${account}/keys`)).json.keys;
    assert.equal(keys.length, 1);
    const stored = await apiCall(keyward.url, 'GET', `/accounts/${account}/keys/${keys[0].id}`);
    assert.equal(stored.json.clientId, listedClientId);
    assert.equal(stored.json.clientSecret, secret);

    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await row.getByRole('button', { name: 'Delete Warehouse Dashboard' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete this API key?' });
    await confirm.waitFor();
    const warning = await confirm.textContent();
    assert.match(warning, /Warehouse Dashboard/);
    assert.match(warning, /Deleting an API key is permanent/);
    assert.match(warning, /Any integration using this key will stop working right away/);
    await confirm.getByRole('button', { name: 'Delete API Key' }).click();

    await row.waitFor({ state: 'detached' });
    await page.getByText('No API keys yet').waitFor();
    await page.getByRole('status').filter({ hasText: 'Deleted “Warehouse Dashboard”' }).waitFor();
    const gone = await apiCall(keyward.url, 'GET', `/accounts/${account}/keys/${keys[0].id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.json.code, 'key_not_found');
  });

  test('shows the API\'s reason when the name is empty, and creates nothing', async () => {
    await page.getByRole('button', { name: 'Add an API Key' }).click();
    await page.getByLabel('Name').fill('   ');
    await page.getByRole('button', { name: 'Create New API Key' }).click();

    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /^Bad Request: The name must not be empty/);
    assert.equal(await page.getByLabel('Name').isVisible(), true, 'the form stays open to correct the name');
    const keys = (await apiCall(keyward.url, 'GET', `/accounts/${account}/keys`)).json.keys;
    assert.deepEqual(keys, []);
  });

  test('cancelling the delete warning keeps the key', async () => {
    await page.getByLabel('Name').fill('3PL Integration');
    await page.getByRole('button', { name: 'Create New API Key' }).click();
    const row = page.getByRole('row').filter({ hasText: '3PL Integration' });
    await row.waitFor();

    await row.getByRole('button', { name: 'Delete 3PL Integration' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete this API key?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden' });

    await row.waitFor();
    const keys = (await apiCall(keyward.url, 'GET', `/accounts/${account}/keys`)).json.keys;
    assert.deepEqual(keys.map((k) => k.name), ['3PL Integration']);
  });
});
