// Takes docs/console.png: the API Keys page with one key listed, and its Activity. `npm run screenshot`.
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
  // the keys table's row (the name also shows in Activity), and the Activity it adds below
  await page.getByRole('table', { name: 'API keys', exact: true }).getByRole('row').filter({ hasText: 'Warehouse Dashboard' }).waitFor();
  await page.getByRole('table', { name: 'Activity', exact: true }).getByRole('row').filter({ hasText: 'Created' }).waitFor();
  const file = join(root, 'docs/console.png');
  await page.screenshot({ path: file, fullPage: true });
  console.log(`wrote ${file}`);
} finally {
  await browser?.close();
  await keyward.stop();
}
