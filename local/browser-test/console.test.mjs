// The admin console as the help article describes it, driven in headless Chromium against
// a local Keyward: add a key, see it listed, read its Client ID and Client Secret under
// Edit, delete it after the warning, and see an API error shown in words; then rename a key
// and rotate its secret in Edit, and read what happened in Activity.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiCall, startBrowser, startKeyward } from './stack.mjs';

const TIMEOUT = 15_000;

describe('API Keys console', { timeout: 300_000 }, () => {
  let keyward;
  let browser;
  let page;
  const account = `browser-${Date.now()}`;
  // rows of the keys table (key names also appear in Activity), and the visible Name field
  // (the create form and the Edit dialog both have one)
  const keyRow = (name) => page.getByRole('table', { name: 'API keys', exact: true }).getByRole('row').filter({ hasText: name });
  const nameField = () => page.getByRole('textbox', { name: 'Name', exact: true });
  const auditEvents = async () => (await apiCall(keyward.url, 'GET', `/accounts/${account}/audit?limit=100`)).json.events;

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
    await nameField().fill('Warehouse Dashboard');
    await page.getByRole('button', { name: 'Create New API Key' }).click();

    const row = keyRow('Warehouse Dashboard');
    await row.waitFor();
    await page.getByRole('status').filter({ hasText: 'Created “Warehouse Dashboard”' }).waitFor();
    const listedClientId = (await row.locator('code').textContent()).trim();
    assert.match(listedClientId, /^kw_cid_[0-9A-Za-z]{22}$/);
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.keyId), (await row.getAttribute('data-key-id')),
      'focus moves to the new key');
    const keyId = await row.getAttribute('data-key-id');
    const views = async () => (await auditEvents()).filter((e) => e.keyId === keyId && e.action === 'key.secret_viewed').length;

    await row.getByRole('button', { name: 'Edit Warehouse Dashboard' }).click();
    const dialog = page.getByRole('dialog', { name: 'Warehouse Dashboard' });
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('Client ID').inputValue(), listedClientId);
    const secretField = dialog.getByLabel('Client Secret');
    assert.equal(await secretField.getAttribute('type'), 'password', 'the secret is hidden until revealed');
    assert.equal(await secretField.inputValue(), '', 'the secret is not fetched until Show');
    assert.equal(await views(), 0, 'opening Edit records no view of the secret');
    await dialog.getByRole('button', { name: 'Show' }).click();
    await dialog.getByRole('button', { name: 'Hide' }).waitFor();
    assert.equal(await secretField.getAttribute('type'), 'text');
    const secret = await secretField.inputValue();
    assert.match(secret, /^kw_sec_[0-9A-Za-z]{46}$/);
    assert.equal(await views(), 1, 'Show records one view');
    await dialog.getByRole('button', { name: 'Hide' }).click();
    await dialog.getByRole('button', { name: 'Show' }).click();
    assert.equal(await views(), 1, 'showing it again in the same dialog fetches nothing more');

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
    assert.match(warning, new RegExp(`Client ID\\s*${listedClientId}`), 'the warning names the Client ID');
    assert.match(warning, /Created\s*\w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M UTC/, 'and when the key was created, with the zone');
    assert.match(warning, /Deleting an API key is permanent/);
    assert.match(warning, /Any integration using this key will stop working right away/);
    await confirm.getByRole('button', { name: 'Delete API Key' }).click();

    await row.waitFor({ state: 'detached' });
    await page.getByText('No API keys yet').waitFor();
    await page.getByRole('status').filter({ hasText: 'Deleted “Warehouse Dashboard”' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'keys-heading', 'focus moves to the list heading');
    const gone = await apiCall(keyward.url, 'GET', `/accounts/${account}/keys/${keys[0].id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.json.code, 'key_not_found');
  });

  test('shows the API\'s reason at the name field when the name is blank, and creates nothing', async () => {
    await page.getByRole('button', { name: 'Add an API Key' }).click();
    const field = nameField();
    assert.equal(await field.getAttribute('maxlength'), '100', 'the form allows what the API allows');
    assert.equal(await field.getAttribute('required'), '');
    await field.fill('x'.repeat(150));
    assert.equal((await field.inputValue()).length, 100);
    await field.fill('   ');
    await page.getByRole('button', { name: 'Create New API Key' }).click();

    const error = page.locator('#key-name-error');
    await error.waitFor();
    assert.equal((await error.textContent()).trim(), 'The name must not be empty or blank.', 'the detail, without "Bad Request:"');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.match(await field.getAttribute('aria-describedby'), /\bkey-name-error\b/, 'the message is tied to the field');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'key-name', 'focus goes to the field to correct');
    assert.equal(await page.getByRole('alert').count(), 0, 'nothing at the top of the page');
    const keys = (await apiCall(keyward.url, 'GET', `/accounts/${account}/keys`)).json.keys;
    assert.deepEqual(keys, []);
  });

  test('two keys of the same name: the warnings tell them apart by Client ID and creation time', async () => {
    const twins = [];
    for (let i = 0; i < 2; i++) twins.push((await apiCall(keyward.url, 'POST', `/accounts/${account}/keys`, { name: 'Twin Dashboard' })).json);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.reload();
    const rows = keyRow('Twin Dashboard');
    await rows.nth(1).waitFor();
    for (const [i, twin] of [twins[1], twins[0]].entries()) {
      await rows.nth(i).getByRole('button', { name: 'Delete Twin Dashboard' }).click();
      const confirm = page.getByRole('dialog', { name: 'Delete this API key?' });
      const text = await confirm.textContent();
      assert.ok(text.includes(twin.clientId), `the warning names ${twin.clientId}`);
      const other = twins.find((t) => t !== twin);
      assert.ok(!text.includes(other.clientId));
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await confirm.waitFor({ state: 'hidden' });
    }
    await rows.first().getByRole('button', { name: 'Edit Twin Dashboard' }).click();
    const dialog = page.getByRole('dialog', { name: 'Twin Dashboard' });
    await dialog.getByRole('button', { name: 'Rotate secret' }).click();
    const rotate = page.getByRole('dialog', { name: 'Rotate the Client Secret?' });
    assert.ok((await rotate.textContent()).includes(twins[1].clientId), 'the rotate warning names the Client ID');
    await rotate.getByRole('button', { name: 'Cancel' }).click();
    await dialog.getByRole('button', { name: 'Done' }).click();
    for (const twin of twins) await apiCall(keyward.url, 'DELETE', `/accounts/${account}/keys/${twin.id}`);
    await page.reload();
    await page.getByText('No API keys yet').waitFor();
    await page.getByRole('button', { name: 'Add an API Key' }).click();
  });

  test('cancelling the delete warning keeps the key', async () => {
    await nameField().fill('3PL Integration');
    await page.getByRole('button', { name: 'Create New API Key' }).click();
    const row = keyRow('3PL Integration');
    await row.waitFor();

    await row.getByRole('button', { name: 'Delete 3PL Integration' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete this API key?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden' });

    await row.waitFor();
    const keys = (await apiCall(keyward.url, 'GET', `/accounts/${account}/keys`)).json.keys;
    assert.deepEqual(keys.map((k) => k.name), ['3PL Integration']);
  });
  test('renames a key in Edit; a blank name is refused in words; the list shows the new name', async () => {
    await page.getByRole('button', { name: 'Add an API Key' }).click();
    await nameField().fill('Custom Reporting Tool');
    await page.getByRole('button', { name: 'Create New API Key' }).click();
    const row = keyRow('Custom Reporting Tool');
    await row.waitFor();

    await row.getByRole('button', { name: 'Edit Custom Reporting Tool' }).click();
    const dialog = page.getByRole('dialog', { name: 'Custom Reporting Tool' });
    await dialog.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'edit-name', 'the dialog opens with focus on its first field');
    const name = dialog.getByLabel('Name', { exact: true });
    assert.equal(await name.inputValue(), 'Custom Reporting Tool');

    await name.fill('   ');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const error = dialog.locator('#edit-name-error');
    await error.waitFor();
    assert.equal((await error.textContent()).trim(), 'The name must not be empty or blank.');
    assert.equal(await name.getAttribute('aria-invalid'), 'true');
    assert.match(await name.getAttribute('aria-describedby'), /\bedit-name-error\b/);

    await name.fill('Sales Reporting');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const renamed = page.getByRole('dialog', { name: 'Sales Reporting' });
    await renamed.getByRole('status').filter({ hasText: 'now called “Sales Reporting”' }).waitFor();
    assert.equal(await renamed.locator('#edit-name-error').isVisible(), false, 'the earlier error is gone');
    assert.equal(await renamed.getByLabel('Name', { exact: true }).getAttribute('aria-invalid'), null);
    await renamed.getByRole('button', { name: 'Done' }).click();
    await renamed.waitFor({ state: 'hidden' });

    const newRow = keyRow('Sales Reporting');
    await newRow.getByRole('button', { name: 'Edit Sales Reporting' }).waitFor();
    assert.equal(await keyRow('Custom Reporting Tool').count(), 0);
    const keys = (await apiCall(keyward.url, 'GET', `/accounts/${account}/keys`)).json.keys;
    assert.deepEqual(keys.map((k) => k.name).sort(), ['3PL Integration', 'Sales Reporting']);
  });

  test('rotates the secret with no grace period: the new secret is shown, the old one is refused', async () => {
    const keyId = (await apiCall(keyward.url, 'GET', `/accounts/${account}/keys`)).json.keys.find((k) => k.name === 'Sales Reporting').id;
    const before = (await apiCall(keyward.url, 'GET', `/accounts/${account}/keys/${keyId}`)).json;

    await keyRow('Sales Reporting').getByRole('button', { name: 'Edit Sales Reporting' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sales Reporting' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Rotate secret' }).click();

    const confirm = page.getByRole('dialog', { name: 'Rotate the Client Secret?' });
    await confirm.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.closest('dialog')?.id), 'rotate-dialog', 'focus moves into the confirmation');
    assert.match(await confirm.textContent(), /Sales Reporting/);
    assert.equal(await confirm.getByRole('radio', { name: '1 hour' }).isChecked(), true, 'a grace period is the default');
    assert.match(await confirm.textContent(), /keeps working for 1 hour, until about .+, then stops working/);
    await confirm.getByRole('radio', { name: /^None/ }).check();
    assert.match(await confirm.textContent(), /The current Client Secret stops working immediately\./);
    await confirm.getByRole('button', { name: 'Rotate Secret' }).click();
    await confirm.waitFor({ state: 'hidden' });

    await dialog.getByRole('status').filter({ hasText: 'The previous secret stopped working immediately.' }).waitFor();
    const secretField = dialog.getByLabel('Client Secret');
    assert.equal(await secretField.getAttribute('type'), 'password', 'the new secret is hidden until revealed');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'edit-client-secret', 'focus moves to the new secret');
    await dialog.getByRole('button', { name: 'Show' }).click();
    const shown = await secretField.inputValue();
    assert.match(shown, /^kw_sec_[0-9A-Za-z]{46}$/);
    assert.notEqual(shown, before.clientSecret, 'the shown secret changed');
    assert.equal(await dialog.getByLabel('Client ID').inputValue(), before.clientId, 'the Client ID stays');

    const after = (await apiCall(keyward.url, 'GET', `/accounts/${account}/keys/${keyId}`)).json;
    assert.equal(after.clientSecret, shown, 'the page shows the secret the API now holds');
    assert.equal(after.clientId, before.clientId);

    await dialog.getByRole('button', { name: 'Copy' }).nth(1).click();
    await dialog.getByRole('button', { name: 'Copied' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), shown);

    // no grace: the old secret is refused at once, the new one works
    const whoami = async (secret) => (await fetch(`${keyward.url}/whoami`, {
      headers: { Authorization: `Basic ${Buffer.from(`${before.clientId}:${secret}`).toString('base64')}` },
    })).status;
    assert.equal(await whoami(before.clientSecret), 401, 'refused credentials: 401');
    assert.equal(await whoami(shown), 200);

    // with a grace period the page says until when the previous secret works
    await dialog.getByRole('button', { name: 'Rotate secret' }).click();
    await confirm.waitFor();
    assert.equal(await confirm.getByRole('radio', { name: '1 hour' }).isChecked(), true, 'the choice starts from the default again');
    await confirm.getByRole('button', { name: 'Rotate Secret' }).click();
    await dialog.getByRole('status').filter({ hasText: /The previous secret keeps working until .+, then stops working\./ }).waitFor();
    assert.equal(await secretField.getAttribute('type'), 'password', 'a newly rotated secret is hidden again');
    const graced = (await apiCall(keyward.url, 'GET', `/accounts/${account}/keys/${keyId}`)).json.clientSecret;
    assert.equal(await secretField.inputValue(), graced);
    assert.equal(await whoami(shown), 200, 'the previous secret works during the grace period');

    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  test('adds a key with an expiry and scopes, lists them, and changes them in Edit', async () => {
    const pad = (n) => String(n).padStart(2, '0');
    const in30Days = new Date(Date.now() + 30 * 86_400_000);
    const local = `${in30Days.getFullYear()}-${pad(in30Days.getMonth() + 1)}-${pad(in30Days.getDate())}T10:30:15`;
    await page.getByRole('button', { name: 'Add an API Key' }).click();
    await nameField().fill('Orders Reader');
    await page.getByLabel('Expires (optional)').fill(local);
    await page.getByLabel('Scopes (optional)').fill('whoami:read, orders:read');
    await page.getByRole('button', { name: 'Create New API Key' }).click();

    const row = keyRow('Orders Reader');
    await row.waitFor();
    assert.match(await row.textContent(), /Expires .+orders:read whoami:read/);
    const listed = (await apiCall(keyward.url, 'GET', `/accounts/${account}/keys`)).json.keys
      .find((k) => k.name === 'Orders Reader');
    assert.equal(listed.expiresAt, new Date(local).toISOString(), 'local time sent as UTC');
    assert.deepEqual(listed.scopes, ['orders:read', 'whoami:read']);
    assert.equal(listed.status, 'active');
    const key = (await apiCall(keyward.url, 'GET', `/accounts/${account}/keys/${listed.id}`)).json;
    const call = async (path) => (await fetch(`${keyward.url}${path}`, {
      headers: { Authorization: `Basic ${Buffer.from(`${key.clientId}:${key.clientSecret}`).toString('base64')}` },
    })).status;
    assert.equal(await call(`/accounts/${account}/whoami`), 200, 'whoami:read opens its own account\'s route');
    assert.equal(await call('/accounts/someone-else/whoami'), 403, 'but not another account\'s');

    await row.getByRole('button', { name: 'Edit Orders Reader' }).click();
    const dialog = page.getByRole('dialog', { name: 'Orders Reader' });
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('Expires', { exact: true }).inputValue(), local);
    assert.equal(await dialog.getByLabel('Scopes', { exact: true }).inputValue(), 'orders:read whoami:read');
    await dialog.getByRole('button', { name: 'Never' }).click();
    await dialog.getByLabel('Scopes', { exact: true }).fill('orders:read');
    await dialog.getByRole('button', { name: 'Update expiry and scopes' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Saved. This key never expires and has the scopes orders:read.' }).waitFor();
    const changed = (await apiCall(keyward.url, 'GET', `/accounts/${account}/keys/${listed.id}`)).json;
    assert.equal(changed.expiresAt, null);
    assert.deepEqual(changed.scopes, ['orders:read']);
    assert.equal(await call(`/accounts/${account}/whoami`), 403, 'whoami:read taken away: refused at once');
    assert.equal(await call('/whoami'), 200, 'the route open to every key');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.doesNotMatch(await row.textContent(), /Expires/);
  });

  test('Activity lists what happened, newest first, in words, and loads more', async () => {
    const activity = page.getByRole('table', { name: 'Activity', exact: true });
    const rows = activity.locator('tbody tr');
    const auditPage = async (cursor) => (await apiCall(keyward.url, 'GET',
      `/accounts/${account}/audit?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json;
    const words = {
      'key.created': 'Created', 'key.secret_viewed': 'Secret viewed', 'key.renamed': 'Renamed',
      'key.rotated': 'Secret rotated', 'key.deleted': 'Deleted', 'key.updated': 'Expiry, scopes or networks changed',
    };
    const shownRows = async () => activity.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => ({
      id: tr.dataset.eventId, cells: [...tr.cells].map((td) => td.textContent.trim()),
    })));

    // what the earlier tests did is listed as the API records it (the page refreshes after each change)
    let events = (await auditPage()).events;
    await page.getByRole('button', { name: 'Refresh', exact: true }).click(); // Activity's
    await activity.locator(`tbody tr[data-event-id="${events[0].id}"]`).waitFor();
    const shown = await shownRows();
    assert.deepEqual(shown.map((r) => r.id), events.slice(0, 20).map((e) => e.id), 'newest first, a page of 20');
    for (const [i, row] of shown.entries()) {
      assert.equal(row.cells[1], words[events[i].action]);
      assert.match(row.cells[2], new RegExp(`${events[i].keyId}$`));
      assert.equal(row.cells[3], 'user/local-developer');
    }
    const actions = new Set(shown.map((r) => r.cells[1]));
    for (const action of ['Created', 'Secret viewed', 'Renamed', 'Secret rotated', 'Deleted']) {
      assert.ok(actions.has(action), `${action} is listed`);
    }
    const renamed = shown.find((r) => r.cells[1] === 'Renamed');
    assert.match(renamed.cells[2], /^Sales Reporting/, 'a key is shown by its current name');

    // more than a page: Load more follows nextCursor until the end
    const key = (await apiCall(keyward.url, 'GET', `/accounts/${account}/keys`)).json.keys[0];
    for (let i = 0; i < 12; i++) await apiCall(keyward.url, 'GET', `/accounts/${account}/keys/${key.id}`);
    events = [];
    for (let cursor, batch; !batch || cursor; ) {
      batch = await auditPage(cursor);
      events.push(...batch.events);
      cursor = batch.nextCursor;
    }
    assert.ok(events.length > 20 && events.length <= 40, `${events.length} events make two pages`);
    await page.getByRole('button', { name: 'Refresh', exact: true }).click(); // Activity's
    await activity.locator(`tbody tr[data-event-id="${events[0].id}"]`).waitFor();
    assert.equal(await rows.count(), 20);
    await page.getByRole('button', { name: 'Load more' }).click();
    await rows.nth(events.length - 1).waitFor();
    assert.deepEqual((await shownRows()).map((r) => r.id), events.map((e) => e.id));
    await page.getByRole('button', { name: 'Load more' }).waitFor({ state: 'hidden' });
  });
});
