import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../../local/counterparts';
import type { Json } from './harness';

// `npm start` as a new user runs it: the whole stack from one command, ready within
// 30 s, the dev key printed, data kept across a restart, nothing left running after Ctrl-C.
const root = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'local-'));
const devKey = `sk_test_${'d'.repeat(40)}`;
let child: ChildProcess | undefined;

const start = async (env: Record<string, string>, args: string[] = []) => {
  const port = await freePort();
  const started = Date.now();
  const proc = spawn(resolve(root, 'node_modules/.bin/tsx'), ['local/start.ts', ...args], {
    cwd: root,
    env: { ...process.env, PORT: String(port), LOCAL_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  while (Date.now() - started < 30_000) {
    const ready = await fetch(`${url}/health/ready`).then(
      (r) => r.status,
      () => 0,
    );
    if (ready === 200 && out.includes('secret key:')) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const key = /secret key:\s+(\S+)/.exec(out)?.[1];
  return { proc, url, key, readyMs: Date.now() - started, output: () => out };
};

const stop = (proc: ChildProcess) =>
  new Promise<number | null>((res) => {
    proc.once('exit', (code) => res(code));
    proc.kill('SIGINT');
  });

const javaFor = (dir: string) => {
  try {
    // execFile, not a shell: `sh -c "pgrep …"` would match its own command line.
    return execFileSync('pgrep', ['-f', '--', `-dbPath ${join(dir, 'dynamodb')}`])
      .toString()
      .trim();
  } catch {
    return ''; // pgrep exits 1 when nothing matches
  }
};

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

it('starts, serves, stops cleanly and keeps its data', { timeout: 120_000 }, async () => {
  const first = await start({ DEV_SECRET_KEY: devKey });
  expect(first.readyMs, first.output()).toBeLessThan(30_000);
  expect(first.key).toBe(devKey);
  const auth = { headers: { authorization: `Bearer ${devKey}` } };
  const list = await fetch(`${first.url}/v1/providers`, auth);
  expect(list.status).toBe(200);
  expect(((await list.json()) as Json).data.providers.length).toBeGreaterThan(0);
  expect(javaFor(dataDir)).not.toBe('');

  expect(await stop(first.proc)).toBe(0);
  expect(javaFor(dataDir)).toBe('');

  // Restart without DEV_SECRET_KEY: the same tenant and key still work.
  const second = await start({ DEV_SECRET_KEY: '' });
  expect(second.key).toBe(devKey);
  expect((await fetch(`${second.url}/v1/providers`, auth)).status).toBe(200);
  expect(await stop(second.proc)).toBe(0);

  // --fresh wipes it: the old key is gone and a new one is printed.
  const third = await start({ DEV_SECRET_KEY: '' }, ['--fresh']);
  expect(third.key).toMatch(/^sk_test_/);
  expect(third.key).not.toBe(devKey);
  expect((await fetch(`${third.url}/v1/providers`, auth)).status).toBe(401);
  expect(await stop(third.proc)).toBe(0);
});

// Readiness means ready: a script that waits for /health/ready and then calls the API with
// the key must never see a 401 (the development tenant once appeared after the port opened).
it('answers ready only once the development key works', { timeout: 120_000 }, async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const key = `sk_test_${'r'.repeat(40)}`;
  const proc = spawn(resolve(root, 'node_modules/.bin/tsx'), ['local/start.ts', '--fresh'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      LOCAL_DATA_DIR: mkdtempSync(join(tmpdir(), 'local-ready-')),
      DEV_SECRET_KEY: key,
    },
    stdio: 'ignore',
  });
  child = proc;
  const deadline = Date.now() + 60_000;
  let first: number | undefined;
  while (Date.now() < deadline) {
    const ready = await fetch(`${url}/health/ready`).then(
      (r) => r.status,
      () => 0,
    );
    if (ready === 200) {
      // At once, as a script would: no grace period.
      first = (await fetch(`${url}/v1/providers`, { headers: { authorization: `Bearer ${key}` } })).status;
      break;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  expect(first).toBe(200);
  expect(await stop(proc)).toBe(0);
});

it('refuses a malformed DEV_SECRET_KEY before anything listens, saying the rule', {
  timeout: 60_000,
}, async () => {
  const port = await freePort();
  const proc = spawn(resolve(root, 'node_modules/.bin/tsx'), ['local/start.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), LOCAL_DATA_DIR: dataDir, DEV_SECRET_KEY: 'sk_test_short' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const code = await new Promise<number | null>((res) => proc.once('exit', res));
  expect(code).toBe(2);
  expect(out).toMatch(/DEV_SECRET_KEY.*sk_test_ or sk_live_ followed by 32 to 128/);
  expect(
    await fetch(`http://127.0.0.1:${port}/health`).then(
      () => 'answered',
      () => 'closed',
    ),
  ).toBe('closed');
});
