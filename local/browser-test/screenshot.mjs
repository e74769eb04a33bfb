// Takes docs/console.png: the API Keys page with one key listed. `npm run screenshot`.
import { join } from 'node:path';
import { apiCall, root, startBrowser, startKeyward } from './stack.mjs';

const keyward = await startKeyward();
let browser;
try {
  const account = 'acme';
  const created = await apiCall(keyward.url, 'POST', `/accounts/${account}/keys`, { name: 'Warehouse Dashboard' });
  if (created.status !== 201) throw new Error(`creating the key answered ${created.status}`);
  browser = await startBrowser();
  const page = await browser.context.newPage();
  await page.goto(`${keyward.url}/#${account}`);
  await page.getByRole('row').filter({ hasText: 'Warehouse Dashboard' }).waitFor();
  const file = join(root, 'docs/console.png');
  await page.screenshot({ path: file, fullPage: true });
  console.log(`wrote ${file}`);
} finally {
  await browser?.close();
  await keyward.stop();
}
