// The account's key policy in the console: an owner sets it in the Key policy section, Add an
// API Key and Edit say what it asks for, and a create or an edit it refuses shows the API's
// reason at the field concerned; a key made before the policy keeps its expiry while its scopes
// change.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiCall, axeViolations, startBrowser, startKeyward } from './stack.mjs';

const TIMEOUT = 15_000;

/** A datetime-local field's value (local time, whole seconds) `days` from now. */
function localIn(days) {
  const d = new Date(Date.now() + days * 86_400_000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

describe('API Keys console: the key policy', { timeout: 300_000 }, () => {
  let keyward;
  let browser;
  let page;
  const account = `policy-${Date.now()}`;
  const section = () => page.getByRole('region', { name: 'Key policy' });
  const keyRow = (name) => page.getByRole('table', { name: 'API keys', exact: true }).getByRole('row').filter({ hasText: name });
  const settings = async () => (await apiCall(keyward.url, 'GET', `/accounts/${account}/settings`)).json;
  const keys = async () => (await apiCall(keyward.url, 'GET', `/accounts/${account}/keys`)).json.keys;
  const text = async (id) => (await page.locator(`#${id}`).textContent()).trim();
  // whether "(optional)" is marked hidden beside a field of Add an API Key, whether the form is open or not
  const optionalHidden = (field) => page.locator(`label[for="${field}"] .muted`).evaluate((e) => e.hidden);

  before(async () => {
    keyward = await startKeyward();
    browser = await startBrowser();
    page = await browser.context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    const old = await apiCall(keyward.url, 'POST', `/accounts/${account}/keys`, { name: 'Old Integration' });
    assert.equal(old.status, 201, 'a key made before the policy, never expiring, without scopes');
    await page.goto(`${keyward.url}/#${account}`);
    await keyRow('Old Integration').waitFor();
  });

  after(async () => {
    await browser?.close();
    await keyward?.stop();
  });

  test('an owner sets the policy; a value the API refuses is shown at its field', async () => {
    await section().waitFor();
    const lifetime = section().getByLabel('Longest key lifetime');
    const scopes = section().getByLabel('Every key must have at least one scope');
    assert.equal(await lifetime.inputValue(), '', 'no cap yet');
    assert.equal(await scopes.isChecked(), false);
    assert.equal(await page.locator('#create-policy-note').isHidden(), true, 'no policy, no note');

    await lifetime.fill('0');
    await section().getByRole('button', { name: 'Save key policy' }).click();
    await page.locator('#policy-lifetime-error').waitFor();
    assert.match(await text('policy-lifetime-error'), /maxKeyLifetimeDays must be a whole number from 1 to 3650/);
    assert.equal(await lifetime.getAttribute('aria-invalid'), 'true');
    assert.equal((await settings()).maxKeyLifetimeDays, null, 'nothing saved');

    await lifetime.fill('30');
    await scopes.check();
    await section().getByRole('button', { name: 'Save key policy' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved. Every new key must expire within 30 days and have at least one scope.' }).waitFor();
    assert.deepEqual(await settings(), { expiredKeyRetentionDays: null, maxKeyLifetimeDays: 30, requireScopes: true });
    assert.equal(await lifetime.getAttribute('aria-invalid'), null, 'the field error is gone');

    await section().getByRole('button', { name: 'Save key policy' }).click();
    await page.getByRole('status').filter({ hasText: 'The key policy is unchanged.' }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
  });

  test('Add an API Key says what the policy asks, and shows each refusal at its field', async () => {
    await page.getByRole('button', { name: 'Add an API Key' }).click();
    assert.equal(await text('create-policy-note'),
      "This account's key policy: every key must expire within 30 days and have at least one scope.");
    assert.equal(await optionalHidden('key-expires'), true, 'Expires is not optional');
    assert.equal(await optionalHidden('key-scopes'), true, 'nor Scopes');

    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Warehouse Dashboard');
    await page.getByRole('button', { name: 'Create New API Key' }).click();
    await page.locator('#key-expires-error').waitFor();
    assert.match(await text('key-expires-error'), /key policy requires every key to expire within 30 days: give 'expiresAt', no later than /);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'key-expires', 'focus goes to the field to correct');

    await page.locator('#key-expires').fill(localIn(31));
    await page.getByRole('button', { name: 'Create New API Key' }).click();
    await page.getByText("caps a key's lifetime at 30 days").waitFor();
    assert.equal(await page.locator('#key-expires').getAttribute('aria-invalid'), 'true');

    await page.locator('#key-expires').fill(localIn(10));
    await page.getByRole('button', { name: 'Create New API Key' }).click();
    await page.locator('#key-scopes-error').waitFor();
    assert.match(await text('key-scopes-error'), /requires every key to have at least one scope/);
    assert.equal((await keys()).length, 1, 'each refused create made nothing');

    await page.locator('#key-scopes').fill('orders:read');
    await page.getByRole('button', { name: 'Create New API Key' }).click();
    await page.getByRole('status').filter({ hasText: 'Created “Warehouse Dashboard”' }).waitFor();
    const made = (await keys()).find((k) => k.name === 'Warehouse Dashboard');
    assert.deepEqual(made.scopes, ['orders:read']);
    assert.ok(made.expiresAt, 'it expires');
  });

  test('Edit of a key made before the policy: its scopes change, a new expiry beyond the cap is refused at the field', async () => {
    await keyRow('Old Integration').getByRole('button', { name: 'Edit Old Integration' }).click();
    const dialog = page.getByRole('dialog', { name: 'Old Integration' });
    await dialog.waitFor();
    assert.equal(await text('edit-policy-note'),
      "This account's key policy applies to a new expiry or new scopes: a key must expire within 30 days and have at least one scope.");

    await dialog.getByLabel('Scopes').fill('orders:read');
    await dialog.getByRole('button', { name: 'Update expiry and scopes' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Saved. This key never expires and has the scopes orders:read.' }).waitFor();

    await dialog.getByLabel('Expires').fill(localIn(60));
    await dialog.getByRole('button', { name: 'Update expiry and scopes' }).click();
    await page.locator('#edit-expires-error').waitFor();
    assert.match(await text('edit-expires-error'), /caps a key's lifetime at 30 days: 'expiresAt' must be no later than /);
    const old = (await keys()).find((k) => k.name === 'Old Integration');
    assert.equal(old.expiresAt, null, 'the refused edit changed nothing');
    assert.deepEqual(old.scopes, ['orders:read']);
    assert.deepEqual(await axeViolations(page), []);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  test('an owner lifts the policy, and the notes go', async () => {
    await section().getByLabel('Longest key lifetime').fill('');
    await section().getByLabel('Every key must have at least one scope').uncheck();
    await section().getByLabel('Delete expired keys after').fill('90');
    await section().getByRole('button', { name: 'Save key policy' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved. New keys need no expiry and no scopes.' }).waitFor();
    assert.deepEqual(await settings(), { expiredKeyRetentionDays: 90, maxKeyLifetimeDays: null, requireScopes: false });
    assert.equal(await page.locator('#create-policy-note').isHidden(), true);
    assert.equal(await optionalHidden('key-expires'), false, 'Expires is optional again');
    assert.equal(await optionalHidden('key-scopes'), false, 'and Scopes');

    await page.reload();
    await section().waitFor();
    assert.equal(await section().getByLabel('Delete expired keys after').inputValue(), '90', 'the section shows what is saved');
  });
});
