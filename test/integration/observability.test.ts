import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { logger } from '../../core/platform/log';
import { workerFor } from '../../functions/workers';
import { pollWorker } from '../../local/runtime';
import { type GitHubFake, startGitHubFake } from '../fakes/github';
import { call, type Harness, type Json, ownResources, startHarness } from './harness';

/**
 * What an operator sees, on the local stack as on Lambda: every request line names its
 * tenant; a sync triggered through the API is one trace in the logs (the API's request id
 * reaches the sync worker through the queue's message attributes); the worker writes its
 * metrics as EMF lines dimensioned by provider and outcome, never by tenant.
 *
 * On a set of resources of its own: its poller would otherwise take any test file's sync
 * message off the shared queue and print that run's metrics in this file's window (an EMF
 * line carries no run id, by design).
 */
let h: Harness;
let fake: GitHubFake;
let connectionId: string;
let poller: { stop: () => Promise<void> };
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
const printed: string[] = [];
let restore: () => void;

const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  call(h.gateway.url, path, {
    key: h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

/** The JSON lines printed since `from` (the service logs one object a line). */
const linesSince = (from: number): Json[] =>
  printed
    .slice(from)
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return [];
      }
    });

const until = async <T>(what: string, f: () => T | undefined): Promise<T> => {
  for (let i = 0; i < 300; i++) {
    const v = f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never saw ${what}`);
};

beforeAll(async () => {
  await ownResources('obs');
  logger.setLogLevel('INFO');
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    printed.push(chunk.toString());
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
  restore = () => {
    process.stdout.write = write;
  };
  h = await startHarness();
  fake = await startGitHubFake();
  fake.seedIssues(30, { repo: 'acme/product' });
  await api('/v1/integrations', {
    method: 'POST',
    body: { unique_key: 'gh-obs', provider: 'github', endpoints: { api_base_url: fake.apiBaseUrl } },
  });
  const c = await api('/v1/connections', {
    method: 'POST',
    body: { integration: 'gh-obs', end_user_id: 'u_obs', credentials: fake.valid },
  });
  connectionId = c.body.data.id;
  // Every sync paused (a run of one left scheduled, `commits`, could end inside a test's window
  // and print its own metrics there); the tests trigger the run they follow.
  const syncs = await api(`/v1/connections/${connectionId}/syncs`);
  const names = (syncs.body.data.syncs as Json[]).map((x) => x.name as string);
  expect(names).toContain('commits');
  for (const s of names) {
    await api(`/v1/connections/${connectionId}/syncs/${s}`, { method: 'PATCH', body: { paused: true } });
  }
  poller = pollWorker(sqs, workerFor('sync'));
});
afterAll(async () => {
  restore();
  logger.setLogLevel('WARN');
  await poller.stop();
  sqs.destroy();
  await h.stop();
  await fake.stop();
});

it('names the tenant on every line of an authenticated request', async () => {
  const from = printed.length;
  const r = await api('/v1/connections');
  expect(r.status).toBe(200);
  const requestId = r.headers.get('x-request-id');
  const lines = linesSince(from).filter((l) => l.request_id === requestId);
  expect(lines.length).toBeGreaterThan(0);
  for (const l of lines) expect(l.tenant_id, JSON.stringify(l)).toBe(h.tenantId);
  // Cleared after the request: the next one starts without it.
  const health = await call(h.gateway.url, '/health', {});
  const next = linesSince(from).filter((l) => l.request_id === health.headers.get('x-request-id'));
  expect(next.length).toBeGreaterThan(0);
  for (const l of next) expect(l.tenant_id).toBeUndefined();
});

it('follows a triggered sync from the API request into the worker, and counts the run by provider', {
  timeout: 60_000,
}, async () => {
  const from = printed.length;
  const r = await api('/v1/syncs/trigger', {
    method: 'POST',
    body: { connection_id: connectionId, syncs: ['issues'], mode: 'full' },
  });
  expect(r.status).toBe(202);
  const requestId = r.headers.get('x-request-id') as string;
  const runId = r.body.data.runs[0].id as string;

  // The worker's lines for this run carry the API request's id: one search finds both.
  const handled = await until('the run finishing', () =>
    linesSince(from).find(
      (l) => l.message === 'sync message handled' && l.run_id === runId && l.kind !== 'continued',
    ),
  );
  expect(handled.request_id).toBe(requestId);

  // EMF: SyncRuns for github, outcome success, and no tenant or connection anywhere in it.
  const emf = await until('the SyncRuns metric', () =>
    linesSince(from).find((l) => l._aws && l.SyncRuns !== undefined && l.outcome === 'success'),
  );
  expect(emf.provider).toBe('github');
  expect(emf._aws.CloudWatchMetrics[0].Namespace).toBe('Integrations');
  const dims: string[] = emf._aws.CloudWatchMetrics[0].Dimensions.flat();
  expect(dims.sort()).toEqual(['outcome', 'provider', 'service']);
  const written = linesSince(from).find((l) => l._aws && l.RecordsWritten !== undefined);
  expect(written?.RecordsWritten).toBe(30);
  expect(written?.RunDuration).toBeDefined();
  for (const l of linesSince(from).filter((x) => x._aws)) {
    expect(JSON.stringify(l)).not.toContain(h.tenantId);
    expect(JSON.stringify(l)).not.toContain(connectionId);
  }
});

it('`npm run admin -- stats` sums up the window from the tables: the run, its records', {
  timeout: 60_000,
}, async () => {
  const root = resolve(import.meta.dirname, '../..');
  const { stdout } = await promisify(execFile)(
    resolve(root, 'node_modules/.bin/tsx'),
    ['local/admin.ts', '--aws', 'stats', h.tenantId, '--hours', '1'],
    { cwd: root, env: process.env },
  );
  expect(stdout).toContain(`for tenant ${h.tenantId}`);
  expect(stdout).toMatch(/sync runs\s+1\s+\(success 1\)/);
  expect(stdout).toMatch(/records written\s+30\b/);
  expect(stdout).toMatch(/outbound attempts\s+0/);
});
