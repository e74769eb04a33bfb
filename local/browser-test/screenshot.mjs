// Takes docs/console-1280.png and docs/console-375.png: the API Keys page with two keys, a
// webhook endpoint that took a test event, and their Activity, at a desktop's width and a
// phone's. `npm run screenshot`.
import { createServer } from 'node:http';
import { join } from 'node:path';
import { apiCall, root, startBrowser, startKeyward } from './stack.mjs';

// the endpoint's receiver, on this machine as the local API allows: it takes every event
const receiver = createServer((request, response) => request.resume().on('end', () => response.writeHead(204).end()));
await new Promise((listening) => receiver.listen(0, '127.0.0.1', listening));
const keyward = await startKeyward();
let browser;
try {
  const account = 'acme';
  for (const name of ['Warehouse Dashboard', '3PL Integration']) {
    const created = await apiCall(keyward.url, 'POST', `/accounts/${account}/keys`, { name });
    if (created.status !== 201) throw new Error(`creating the key answered ${created.status}`);
  }
  const endpoint = await apiCall(keyward.url, 'POST', `/accounts/${account}/webhooks`, {
    url: `http://127.0.0.1:${receiver.address().port}/keyward-events`, events: ['key.deleted', 'key.leaked', 'key.expiring'],
  });
  if (endpoint.status !== 201) throw new Error(`adding the webhook endpoint answered ${endpoint.status}`);
  const test = await apiCall(keyward.url, 'POST', `/accounts/${account}/webhooks/${endpoint.json.id}/test`);
  if (test.json?.outcome !== 'delivered') throw new Error(`the test event was not delivered: ${JSON.stringify(test.json)}`);
  browser = await startBrowser();
  const page = await browser.context.newPage();
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 800 });
    await page.goto('about:blank');
    await page.goto(`${keyward.url}/#${account}`);
    await page.locator('#keys tbody tr').nth(1).waitFor();
    await page.locator('#webhooks-list tbody tr').first().waitFor();
    await page.locator('#events tbody tr').nth(1).waitFor();
    const file = join(root, `docs/console-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`wrote ${file}`);
  }
} finally {
  await browser?.close();
  await keyward.stop();
  receiver.close();
}
