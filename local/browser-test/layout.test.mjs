// The console at a phone's width (375 px) and a desktop's (1280 px), used with the keyboard
// alone, and checked by axe-core: nothing off-screen, the help article's whole flow without a
// mouse, and no accessibility violation in the page or its dialogs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiCall, axeViolations, startBrowser, startKeyward } from './stack.mjs';

const TIMEOUT = 15_000;

describe('API Keys console: widths, keyboard, accessibility', { timeout: 300_000 }, () => {
  let keyward;
  let browser;
  let page;
  const failed = []; // responses of 400 and above while the page loads (a missing favicon, a script)

  before(async () => {
    keyward = await startKeyward();
    browser = await startBrowser();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: keyward.url });
    page = await browser.context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
  });

  after(async () => {
    await browser?.close();
    await keyward?.stop();
  });

  /** A fresh account holding the named keys (oldest first), opened at the given width. */
  async function openWith(width, names) {
    const account = `layout-${width}-${Date.now()}`;
    for (const name of names) {
      const created = await apiCall(keyward.url, 'POST', `/accounts/${account}/keys`, { name });
      assert.equal(created.status, 201);
    }
    await page.setViewportSize({ width, height: 800 });
    failed.length = 0;
    await page.goto('about:blank'); // a fresh load, not a change of the hash alone
    await page.goto(`${keyward.url}/#${account}`);
    if (names.length) {
      await page.locator('#keys tbody tr').nth(names.length - 1).waitFor();
      await page.locator('#events tbody tr').nth(names.length - 1).waitFor();
    } else {
      await page.getByText('No API keys yet').waitFor();
      await page.getByText('No activity yet.').waitFor();
    }
    return account;
  }

  const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
  const box = async (locator) => locator.evaluate((e) => e.getBoundingClientRect().toJSON());

  test('at 375 px: keys as cards, every control on screen, no sideways scrolling, dialogs fit', async () => {
    await openWith(375, ['Warehouse Dashboard', '3PL Integration with a rather long descriptive name']);
    assert.ok(await pageWidth() <= 375, `the page is ${await pageWidth()} px wide`);
    assert.deepEqual(failed, [], 'every file the page loads is there (the favicon too)');

    const rows = page.getByRole('table', { name: 'API keys', exact: true }).getByRole('row');
    assert.equal(await rows.count(), 3, 'the cards are still a table to assistive technology');
    assert.ok((await box(page.locator('#keys thead'))).height <= 1, 'no column headings on screen: each card labels its values');
    for (const control of await page.locator('#keys button').all()) {
      const b = await box(control);
      assert.ok(b.left >= 0 && b.right <= 375, `${await control.getAttribute('aria-label')} is on screen (${b.left}..${b.right})`);
    }
    const card = await box(page.locator('#keys tbody tr').first());
    assert.ok(card.right <= 375 && card.left >= 0);
    assert.equal(await page.locator('#keys tbody tr').first().locator('td[data-label="Client ID"]').evaluate(
      (td) => getComputedStyle(td, '::before').content), '"Client ID"', 'each value says what it is');

    // Activity: the "By" column reads as words, not one letter per line
    const by = page.locator('#events tbody tr').first().locator('td.caller');
    assert.equal((await by.textContent()).trim(), 'user/local-developer');
    const byBox = await box(by);
    assert.ok(byBox.height < 40, `the caller fits on one line (${byBox.height} px high)`);

    // Edit: the Copy buttons are inside the dialog and on screen
    await page.getByRole('button', { name: 'Edit Warehouse Dashboard' }).click();
    const dialog = page.getByRole('dialog', { name: 'Warehouse Dashboard' });
    await dialog.getByRole('button', { name: 'Show' }).click();
    await dialog.getByRole('button', { name: 'Hide' }).waitFor();
    const dialogBox = await box(dialog);
    assert.ok(dialogBox.left >= 0 && dialogBox.right <= 375, 'the dialog fits the screen');
    for (const copy of await dialog.getByRole('button', { name: 'Copy' }).all()) {
      const b = await box(copy);
      assert.ok(b.left >= dialogBox.left && b.right <= dialogBox.right, `Copy is inside the dialog (${b.left}..${b.right})`);
    }
    assert.deepEqual(await axeViolations(page), [], 'the Edit dialog at 375 px');
    await dialog.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('button', { name: 'Delete Warehouse Dashboard' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete this API key?' });
    const confirmBox = await box(confirm);
    assert.ok(confirmBox.left >= 0 && confirmBox.right <= 375);
    assert.deepEqual(await axeViolations(page), [], 'the delete warning at 375 px');
    await confirm.getByRole('button', { name: 'Cancel' }).click();

    assert.deepEqual(await axeViolations(page), [], 'the page at 375 px');
  });

  test('at 1280 px: a table, and the whole secret visible in its box', async () => {
    await openWith(1280, ['Warehouse Dashboard']);
    assert.ok(await pageWidth() <= 1280);
    assert.deepEqual(failed, []);
    assert.ok((await box(page.locator('#keys thead'))).height > 20, 'a table with column headings');
    const cells = await page.locator('#keys tbody tr').first().locator('td').evaluateAll((tds) => tds.map((td) => td.getBoundingClientRect().top));
    assert.equal(new Set(cells).size, 1, 'one row per key');

    // times: relative, with the absolute time and its zone on hover
    const created = page.locator('#keys tbody tr').first().locator('td[data-label="Created"] time');
    assert.equal((await created.textContent()).trim(), 'just now');
    assert.match(await created.getAttribute('title'), /\d{1,2}:\d{2}:\d{2} [AP]M UTC$/);
    assert.match(await page.locator('#zone-note').textContent(), /UTC/);

    await page.getByRole('button', { name: 'Edit Warehouse Dashboard' }).click();
    const dialog = page.getByRole('dialog', { name: 'Warehouse Dashboard' });
    await dialog.getByRole('button', { name: 'Show' }).click();
    await dialog.getByRole('button', { name: 'Hide' }).waitFor();
    const secret = dialog.getByLabel('Client Secret');
    const [scroll, client] = await secret.evaluate((e) => [e.scrollWidth, e.clientWidth]);
    assert.ok(scroll <= client, `the whole secret shows (${scroll} px in a ${client} px box)`);
    assert.deepEqual(await axeViolations(page), [], 'the Edit dialog at 1280 px');
    await dialog.getByRole('button', { name: 'Rotate secret' }).click();
    assert.deepEqual(await axeViolations(page), [], 'the rotate warning at 1280 px');
    await page.getByRole('dialog', { name: 'Rotate the Client Secret?' }).getByRole('button', { name: 'Cancel' }).click();
    await dialog.getByRole('button', { name: 'Done' }).click();

    // an error at its field, open
    await page.getByRole('button', { name: 'Add an API Key' }).click();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(' ');
    await page.getByRole('button', { name: 'Create New API Key' }).click();
    await page.locator('#key-name-error').waitFor();
    assert.deepEqual(await axeViolations(page), [], 'the page at 1280 px with a field error');
  });

  for (const width of [375, 1280]) {
    test(`the help article with the keyboard alone at ${width} px: add, view and copy, delete`, async () => {
      const account = await openWith(width, []);
      const focused = () => page.evaluate(() => {
        const e = document.activeElement;
        return e ? (e.getAttribute('aria-label') || e.textContent.trim() || e.id) : null;
      });
      /**
       * Waits (up to 5 s) for the named control to have focus: the console moves focus after its
       * own work (a dialog closing, the list redrawn), not always within the key press.
       */
      const expectFocus = async (name, message) => {
        const deadline = Date.now() + 5_000;
        let now = await focused();
        while (now !== name && Date.now() < deadline) {
          await page.waitForTimeout(50);
          now = await focused();
        }
        assert.equal(now, name, message);
      };
      /** Presses Tab (Shift+Tab) until the named control has focus; fails if it is not reachable. */
      const tabTo = async (name, key = 'Tab') => {
        for (let i = 0; i < 40; i++) {
          await page.keyboard.press(key);
          if (await focused() === name) return;
        }
        assert.fail(`${name} cannot be reached with ${key}`);
      };

      // the first Tab reaches the skip link, which jumps past the header
      await page.keyboard.press('Tab');
      await expectFocus('Skip to API keys');
      const link = await box(page.getByRole('link', { name: 'Skip to API keys' }));
      assert.ok(link.top >= 0, 'the skip link shows when focused');
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
      assert.equal(new URL(page.url()).hash, `#${account}`, 'the account stays open');

      await tabTo('Add an API Key');
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'key-name');
      await page.keyboard.type('Warehouse Dashboard');
      await page.keyboard.press('Enter');
      await page.getByRole('status').filter({ hasText: 'Created “Warehouse Dashboard”' }).waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'TR', 'focus is on the new key');
      assert.equal(await page.evaluate(() => document.activeElement?.querySelector('td')?.textContent), 'Warehouse Dashboard');

      await page.keyboard.press('Tab');
      await expectFocus('Edit Warehouse Dashboard', 'the new key\'s Edit is the next stop');
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Warehouse Dashboard' });
      await dialog.waitFor();
      await tabTo('Show');
      await page.keyboard.press('Enter');
      await dialog.getByRole('button', { name: 'Hide' }).waitFor();
      await expectFocus('Hide', 'focus stays on the toggle');
      await page.keyboard.press('Tab');
      await expectFocus('Copy');
      await page.keyboard.press('Enter');
      await dialog.getByRole('button', { name: 'Copied' }).waitFor();
      const key = (await apiCall(keyward.url, 'GET', `/accounts/${account}/keys`)).json.keys[0];
      const secret = (await apiCall(keyward.url, 'GET', `/accounts/${account}/keys/${key.id}`)).json.clientSecret;
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      await expectFocus('Edit Warehouse Dashboard', 'closing Edit returns to the key');
      // what Edit started loading (the key's usage) may still redraw the row: let it land first
      await page.waitForLoadState('networkidle');
      await expectFocus('Edit Warehouse Dashboard', 'and stays there');

      await page.keyboard.press('Tab');
      await expectFocus('Delete Warehouse Dashboard');
      await page.keyboard.press('Enter');
      const confirm = page.getByRole('dialog', { name: 'Delete this API key?' });
      await confirm.waitFor();
      await expectFocus('Cancel', 'the safe choice has focus');
      await page.keyboard.press('Shift+Tab');
      await expectFocus('Delete API Key');
      await page.keyboard.press('Enter');
      await page.getByText('No API keys yet').waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'keys-heading', 'focus goes to the list heading');
      assert.equal((await apiCall(keyward.url, 'GET', `/accounts/${account}/keys`)).json.keys.length, 0);
      assert.ok(await pageWidth() <= width);
    });
  }
});
