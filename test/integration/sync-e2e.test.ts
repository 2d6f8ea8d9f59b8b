import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { workerFor } from '../../functions/workers';
import { pollWorker } from '../../local/runtime';
import { type GitHubFake, startGitHubFake } from '../fakes/github';
import { dropShardQueue, tickThroughShards } from '../scheduler-tick';
import { call, type Harness, type Json, startHarness } from './harness';

/**
 * Issue 5 as a user tries it: connect the fake GitHub, trigger `issues`, watch the run go
 * queued → running → success with page and record counts, read every issue from the
 * feed; change three issues and delete one, sync again (incremental, then full): the feed
 * from the saved cursor shows exactly those changes and the deletion. A 1m sync runs from
 * the scheduler alone; a paused one doesn't.
 */
let h: Harness;
let fake: GitHubFake;
let connectionId: string;
let poller: { stop: () => Promise<void> };
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });

const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  call(h.gateway.url, path, {
    key: h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

const waitForRun = async (runId: string): Promise<Json> => {
  const seen = new Set<string>();
  for (let i = 0; i < 300; i++) {
    const r: Json = (await api(`/v1/sync-runs/${runId}`)).body.data;
    seen.add(r.status);
    if (r.status === 'success' || r.status === 'error') return { ...r, seen: [...seen] };
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`run ${runId} did not finish`);
};

const trigger = async (mode: 'incremental' | 'full') => {
  const r = await api('/v1/syncs/trigger', {
    method: 'POST',
    body: { connection_id: connectionId, syncs: ['issues'], mode },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return r.body.data.runs[0] as { id: string; sync: string; status: string };
};

/** Reads the feed from `cursor` to the end; returns the records and the cursor to keep. */
const readFeed = async (cursor: string | null) => {
  const records: Json[] = [];
  for (let i = 0; i < 100; i++) {
    const r: Json = (
      await api(
        `/v1/records?connection_id=${connectionId}&model=work_item&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      )
    ).body.data;
    records.push(...r.records);
    cursor = r.next_cursor;
    if (!r.has_more) break;
  }
  return { records, cursor };
};

beforeAll(async () => {
  h = await startHarness();
  fake = await startGitHubFake();
  fake.seedIssues(250, { repo: 'acme/product' });
  await api('/v1/integrations', {
    method: 'POST',
    body: { unique_key: 'gh-sync', provider: 'github', endpoints: { api_base_url: fake.apiBaseUrl } },
  });
  const c = await api('/v1/connections', {
    method: 'POST',
    body: { integration: 'gh-sync', end_user_id: 'u_sync', credentials: fake.valid },
  });
  connectionId = c.body.data.id;
  // Keep the schedule out of the way until the scheduler test: pause every sync.
  for (const s of ['issues', 'pull_requests', 'repositories']) {
    await api(`/v1/connections/${connectionId}/syncs/${s}`, { method: 'PATCH', body: { paused: true } });
  }
  poller = pollWorker(sqs, workerFor('sync'));
});
afterAll(async () => {
  await dropShardQueue();
  await poller.stop();
  sqs.destroy();
  await h.stop();
  await fake.stop();
});

let savedCursor: string | null = null;

it('a triggered run goes queued → running → success and the feed has every issue once', {
  timeout: 60_000,
}, async () => {
  const run = await trigger('incremental');
  expect(run.status).toBe('queued');
  // Not queued twice while it is queued or running.
  const again = await trigger('incremental');
  expect(again.id).toBe(run.id);

  const done = await waitForRun(run.id);
  expect(done.status, JSON.stringify(done)).toBe('success');
  expect(done.records).toEqual({ added: 250, updated: 0, deleted: 0 });
  expect(done.pages).toBeGreaterThanOrEqual(3);
  expect(done.trigger).toBe('manual');
  expect(done.duration_ms).toBeGreaterThanOrEqual(0);

  const sync: Json = (await api(`/v1/connections/${connectionId}/syncs/issues`)).body.data;
  expect(sync).toMatchObject({ status: 'paused', records_count: 250, error: null });
  const conn: Json = (await api(`/v1/connections/${connectionId}`)).body.data;
  expect(conn.sync_status).toBe('healthy');
  expect(conn.last_synced_at).not.toBeNull();
  expect(conn.sync_runs[0].id).toBe(run.id);

  // Read at once: a run reads success only once the feed shows all it wrote.
  const feed = await readFeed(null);
  expect(feed.records).toHaveLength(250);
  expect(new Set(feed.records.map((r) => r.id)).size).toBe(250);
  for (const r of feed.records) {
    expect(r.id).toMatch(/^gh_issue_/);
    expect(r._meta.last_action).toBe('added');
    expect(['open', 'in_progress', 'done', 'cancelled']).toContain(r.status);
  }
  savedCursor = feed.cursor;
  // Caught up: the saved cursor yields nothing new.
  expect((await readFeed(savedCursor)).records).toEqual([]);
});

it('three changed issues and one deleted show up from the saved cursor, each once', {
  timeout: 60_000,
}, async () => {
  const ids = fake.issueIds('acme/product');
  for (const id of ids.slice(0, 3)) fake.updateIssue(id, { title: `changed ${id}` });
  fake.deleteIssue(ids[10] as number);

  const inc = await waitForRun((await trigger('incremental')).id);
  expect(inc.status).toBe('success');
  expect(inc.records).toEqual({ added: 0, updated: 3, deleted: 0 });

  const full = await waitForRun((await trigger('full')).id);
  expect(full.status).toBe('success');
  expect(full.records).toEqual({ added: 0, updated: 0, deleted: 1 });

  const changes = (await readFeed(savedCursor)).records;
  expect(changes.map((r) => r._meta.last_action).sort()).toEqual([
    'deleted',
    'updated',
    'updated',
    'updated',
  ]);
  expect(
    changes
      .filter((r) => r._meta.last_action === 'updated')
      .map((r) => r.title)
      .sort(),
  ).toEqual(
    ids
      .slice(0, 3)
      .map((id) => `changed ${id}`)
      .sort(),
  );
  const gone = changes.find((r) => r._meta.last_action === 'deleted');
  expect(gone.id).toBe(`gh_issue_${fake.issueDatabaseId(ids[10] as number)}`);
  expect(gone._meta.deleted_at).not.toBeNull();
});

it('a 1m sync runs from the scheduler alone; paused, it does not', { timeout: 60_000 }, async () => {
  const s: Json = (
    await api(`/v1/connections/${connectionId}/syncs/issues`, {
      method: 'PATCH',
      body: { frequency: '1m', paused: false },
    })
  ).body.data;
  expect(s).toMatchObject({ frequency: '1m', status: 'success' });
  const runsBefore = (await api(`/v1/sync-runs?connection_id=${connectionId}&sync=issues&limit=100`)).body
    .data.sync_runs.length;

  // The EventBridge tick a minute and a half from now finds it due.
  const tick = new Date(Date.now() + 90_000);
  const r = await tickThroughShards(tick);
  expect(r.queued).toBeGreaterThanOrEqual(1);
  const runs: Json[] = (await api(`/v1/sync-runs?connection_id=${connectionId}&sync=issues&limit=100`)).body
    .data.sync_runs;
  expect(runs.length).toBe(runsBefore + 1);
  expect(runs[0].trigger).toBe('schedule');
  expect((await waitForRun(runs[0].id)).status).toBe('success');

  await api(`/v1/connections/${connectionId}/syncs/issues`, { method: 'PATCH', body: { paused: true } });
  await tickThroughShards(new Date(Date.now() + 600_000));
  const after = (await api(`/v1/sync-runs?connection_id=${connectionId}&sync=issues&limit=100`)).body.data
    .sync_runs;
  expect(after.length).toBe(runsBefore + 1);
});
