// Takes docs/console-1280.png and docs/console-375.png: the API Keys page with two keys and
// their Activity, at a desktop's width and a phone's. `npm run screenshot`.
import { join } from 'node:path';
import { apiCall, root, startBrowser, startKeyward } from './stack.mjs';

const keyward = await startKeyward();
let browser;
try {
  const account = 'acme';
  for (const name of ['Warehouse Dashboard', '3PL Integration']) {
    const created = await apiCall(keyward.url, 'POST', `/accounts/${account}/keys`, { name });
    if (created.status !== 201) throw new Error(`creating the key answered ${created.status}`);
  }
  browser = await startBrowser();
  const page = await browser.context.newPage();
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 800 });
    await page.goto('about:blank');
    await page.goto(`${keyward.url}/#${account}`);
    await page.locator('#keys tbody tr').nth(1).waitFor();
    await page.locator('#events tbody tr').nth(1).waitFor();
    const file = join(root, `docs/console-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`wrote ${file}`);
  }
} finally {
  await browser?.close();
  await keyward.stop();
}
