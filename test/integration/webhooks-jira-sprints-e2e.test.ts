import { randomUUID } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerFor } from '../../functions/workers';
import { pollWorker } from '../../local/runtime';
import { type JiraFake, startJiraFake } from '../fakes/jira';
import { sensitive } from '../leak-watch';
import { call, type Harness, type Json, startHarness } from './harness';

/**
 * Jira sprint webhooks as a user wires them: an admin webhook with a secret, a connection whose
 * sprints were synced once; then a sprint started, closed and deleted at Jira shows in
 * /v1/records within seconds — the sprint as the event says, under the board name the sync
 * stored (the event names only the board's id) — and the deletion too.
 */

let h: Harness;
let jira: JiraFake;
let connectionId: string;
let board: number;
let sprints: number[];
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
const pollers: { stop: () => Promise<void> }[] = [];

const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  call(h.gateway.url, path, {
    key: h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

const until = async <T>(what: string, find: () => Promise<T | undefined>): Promise<T> => {
  const deadline = Date.now() + 25_000;
  while (Date.now() < deadline) {
    const found = await find();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const sprintRecord = async (id: number): Promise<Json | undefined> => {
  const r = await api(`/v1/records?connection_id=${connectionId}&model=project&limit=100`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  let rec: Json | undefined;
  let cursor = r.body.data.next_cursor as string | undefined;
  const all: Json[] = [...r.body.data.records];
  while (r.body.data.has_more && cursor) {
    const more = await api(
      `/v1/records?connection_id=${connectionId}&model=project&limit=100&cursor=${cursor}`,
    );
    all.push(...more.body.data.records);
    cursor = more.body.data.has_more ? more.body.data.next_cursor : undefined;
  }
  for (const x of all) if (x.id === `jira_sprint_${id}`) rec = x;
  return rec;
};

beforeAll(async () => {
  h = await startHarness();
  jira = await startJiraFake();
  board = jira.createBoard('Team board');
  sprints = jira.seedSprints(board, 3);
  for (const queue of ['sync', 'webhook'] as const) pollers.push(pollWorker(sqs, workerFor(queue)));
  const secret = sensitive(`jira-${randomUUID()}`);
  const i = await api('/v1/integrations', {
    method: 'POST',
    body: {
      unique_key: 'jira-sprints',
      provider: 'jira',
      webhook_secret: secret,
      endpoints: { api_base_url: jira.apiBaseUrl },
    },
  });
  expect(i.status, JSON.stringify(i.body)).toBe(201);
  const c = await api('/v1/connections', {
    method: 'POST',
    body: {
      integration: 'jira-sprints',
      end_user_id: 'u_sprints',
      credentials: jira.valid,
      config: { site: jira.site },
    },
  });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  connectionId = c.body.data.id;
  const t = await api('/v1/syncs/trigger', {
    method: 'POST',
    body: { connection_id: connectionId, syncs: ['sprints'], mode: 'full' },
  });
  expect(t.status, JSON.stringify(t.body)).toBe(202);
  await until('the sprints run', async () => {
    const r = await api(`/v1/sync-runs/${t.body.data.runs[0].id}`);
    return ['success', 'error'].includes(r.body.data.status) ? r.body.data : undefined;
  });
  jira.registerWebhook(`${h.gateway.url}/webhooks/${h.tenantId}/jira-sprints`, secret, {
    events: ['sprint_created', 'sprint_updated', 'sprint_started', 'sprint_closed', 'sprint_deleted'],
  });
}, 90_000);
afterAll(async () => {
  await Promise.all(pollers.map((p) => p.stop()));
  await jira?.stop();
  sqs.destroy();
  await h?.stop();
});

describe('jira sprint webhooks, end to end', () => {
  it('started and closed: the record follows at once, its board name kept; deleted: marked deleted', {
    timeout: 90_000,
  }, async () => {
    const [, active, future] = sprints as [number, number, number];
    const before = await sprintRecord(future);
    expect(before).toMatchObject({ status: 'planned', parent: 'Team board' });

    jira.updateSprint(active, { state: 'closed' });
    jira.updateSprint(future, { state: 'active', goal: 'Checkout v2' });
    await jira.webhooksSettled();
    expect(jira.deliveries().map((d) => [d.event, d.status])).toEqual([
      ['sprint_closed', 200],
      ['sprint_started', 200],
    ]);
    const started = await until('the started sprint', async () => {
      const r = await sprintRecord(future);
      return r?.status === 'active' ? r : undefined;
    });
    expect(started).toMatchObject({
      kind: 'sprint',
      raw_status: 'active',
      description: 'Checkout v2',
      parent: 'Team board',
      _meta: { last_action: 'updated' },
    });
    const closed = await until('the closed sprint', async () => {
      const r = await sprintRecord(active);
      return r?.status === 'completed' ? r : undefined;
    });
    expect(closed.parent).toBe('Team board');
    expect(closed.ends_at).toBe((jira.sprint(active) as { completeDate: string }).completeDate);

    jira.deleteSprint(future);
    await until('the deleted sprint', async () => {
      const r = await sprintRecord(future);
      return r?._meta.deleted_at ? r : undefined;
    });
  });
});
