// `make run`'s script stops calmly on Ctrl-C: the terminal sends SIGINT to the whole
// foreground process group, and local/run.sh, not one of its children, decides what happens.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { root } from './stack.mjs';

/** The processes of a process group, from /proc (no ps on a minimal machine). */
function inGroup(pgid) {
  const pids = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state, ppid, pgrp
      if (Number(group) === pgid) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** The processes whose parent is `ppid`, from /proc. */
function childrenOf(ppid) {
  const pids = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state, ppid
      if (Number(parent) === ppid) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/**
 * local/run.sh in a process group of its own (as a terminal's foreground job), once it is ready:
 * the child, its exit, the ports it printed and everything it wrote so far ({@code output()}).
 */
async function startRunScript() {
  const child = spawn('bash', [join(root, 'local/run.sh')], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: '0', PERSIST: '' },
  });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  const started = Date.now();
  while (!/is ready[\s\S]*?API\s+http:\/\/127\.0\.0\.1:(\d+)/.test(output)) {
    assert.ok(Date.now() - started < 90_000, `not ready:\n${output}`);
    await new Promise((done) => setTimeout(done, 100));
  }
  return {
    child,
    exited,
    output: () => output,
    apiPort: /API\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(output)[1],
    motoPort: /Emulator: moto[^\n]* on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)[1],
  };
}

test('Ctrl-C stops moto and the local API with one calm line, and exit 0', { timeout: 120_000 }, async () => {
  const run = await startRunScript();
  const { child, exited, apiPort, motoPort } = run;

  // The terminal signals every process of the group at once; whichever reacts first wins. So,
  // deterministically: the script's children must not stop on it (the script decides) ...
  const group = inGroup(child.pid).filter((pid) => pid !== child.pid);
  assert.ok(group.length > 0, 'the script has children in its group');
  for (const pid of group) {
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      // already gone
    }
  }
  await new Promise((done) => setTimeout(done, 1500));
  assert.doesNotMatch(run.output(), /a process stopped/, `a child stopped on the terminal's SIGINT:\n${run.output()}`);
  assert.equal((await fetch(`http://127.0.0.1:${apiPort}/accounts/acme/keys`)).status, 200, 'the API still answers');
  assert.equal((await fetch(`http://127.0.0.1:${motoPort}/moto-api/`)).ok, true, 'moto still answers');

  // ... and then the script, on the same signal, stops them all
  process.kill(-child.pid, 'SIGINT');
  const { code, signal } = await exited;

  assert.equal(signal, null, run.output());
  assert.equal(code, 0, run.output());
  const after = run.output().slice(run.output().indexOf('Press Ctrl-C to stop.'));
  assert.match(after, /Stopping Keyward\./);
  assert.doesNotMatch(after, /a process stopped|Traceback|Exception|ERROR/i, 'nothing that reads like a crash');
  for (const port of [apiPort, motoPort]) {
    const open = await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false);
    assert.equal(open, false, `nothing listens on ${port} any more`);
  }
});

/** Whether something accepts connections on a loopback port. */
async function listening(port) {
  return fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) }).then(() => true, () => false);
}

test('a hard kill of the script (SIGKILL, no trap runs) still ends moto and the local API', { timeout: 120_000 }, async () => {
  const run = await startRunScript();
  const { child, exited, apiPort, motoPort } = run;
  const children = childrenOf(child.pid); // moto (a session of its own) and the JVM
  assert.ok(children.length >= 2, `the script's children: ${children}`);
  try {
    process.kill(child.pid, 'SIGKILL'); // the script alone: its traps never run
    assert.equal((await exited).signal, 'SIGKILL');
    const deadline = Date.now() + 20_000;
    while ((await listening(motoPort) || await listening(apiPort)) && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 200));
    }
    assert.equal(await listening(motoPort), false, `moto still listens on ${motoPort} after its script was killed`);
    assert.equal(await listening(apiPort), false, `the local API still listens on ${apiPort} after its script was killed`);
  } finally {
    // whatever this test left behind
    for (const pid of children) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
  }
});
