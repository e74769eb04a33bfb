// Starts what the browser needs: Keyward on a free loopback port via local/run.sh (moto, the
// local API and the console), or nothing when KEYWARD_URL names one already running; and
// Debian's Chromium, headless, through playwright-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Keyward's base URL and a stop() for what was started. */
export async function startKeyward({ timeoutMs = 120_000 } = {}) {
  if (process.env.KEYWARD_URL) {
    return { url: process.env.KEYWARD_URL.replace(/\/$/, ''), stop: async () => {} };
  }
  // its own process group, so stop() reaches run.sh and everything it started
  const child = spawn('bash', [join(root, 'local/run.sh')], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: '0', PERSIST: '', KEYWARD_LOG_REQUESTS: '0' },
  });
  let output = '';
  const exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  const url = await new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`Keyward was not ready within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const read = (chunk) => {
      output += chunk;
      const ready = /is ready[\s\S]*?API\s+(http:\/\/\S+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        done(ready[1]);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    exited.then(({ code }) => {
      clearTimeout(timer);
      fail(new Error(`local/run.sh exited (${code}) before Keyward was ready:\n${output}`));
    });
  });
  return {
    url,
    stop: async () => {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        return; // already gone
      }
      const stopped = await Promise.race([exited, new Promise((done) => setTimeout(() => done(null), 10_000).unref())]);
      if (!stopped) process.kill(-child.pid, 'SIGKILL');
    },
  };
}

/** A fresh headless Chromium profile; close() removes it. */
export async function startBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'keyward-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1200, height: 720 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Calls the API directly, to check what the page did. */
export async function apiCall(url, method, path, body) {
  const response = await fetch(url + path, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's violations on the page as it is now (WCAG 2.1 A and AA, and best practices), as
 * "rule: targets" lines. Loaded with evaluate, which the console's Content-Security-Policy allows.
 */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
