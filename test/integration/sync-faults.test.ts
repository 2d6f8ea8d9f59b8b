import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { InitializeHandler, InitializeHandlerArguments } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../core/platform/aws';
import { tableName } from '../../core/platform/config';
import { recordsPk, SETTLE_MS } from '../../core/store/records-repo';
import { getRun, type RunItem } from '../../core/store/runs-repo';
import { getSync, startRun, updateSync } from '../../core/store/syncs-repo';
import { type EngineOutcome, runSyncMessage } from '../../core/syncs/engine';
import { runView } from '../../core/syncs/runs';
import { type GitHubFake, startGitHubFake } from '../fakes/github';
import { newBrowser } from './browser';
import { call, type Harness, type Json, startHarness } from './harness';

/**
 * Faults against the real engine and the fake GitHub: 429 with Retry-After mid-run, a
 * 500 burst, the worker killed between storing a page and saving its checkpoint, every
 * message delivered twice, a token that dies mid-run. After each, the records are
 * exactly those of a clean run: same ids, same content hashes, nothing lost or doubled.
 *
 * The driver plays the queue: a short budget makes the engine stop (and re-queue) after
 * each page, so faults can be injected between pages; a `retry` or a `waiting` is redelivered
 * at once (the delay itself is asserted, not waited for).
 */
const REDIRECT = 'https://app.acme.com/done';
const ISSUES = 520; // 6 pages of 100 (the last one short)
let h: Harness;
let fake: GitHubFake;
const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  call(h.gateway.url, path, {
    key: h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

const connectWithToken = async (user: string) => {
  const c = await api('/v1/connections', {
    method: 'POST',
    body: { integration: 'gh-pat', end_user_id: user, credentials: fake.valid },
  });
  return c.body.data.id as string;
};

const connectWithOAuth = async (user: string) => {
  const s = await api('/v1/connect/sessions', {
    method: 'POST',
    body: { integration: 'gh-oauth', end_user_id: user, redirect_url: REDIRECT },
  });
  const back = await newBrowser().connect(s.body.data.auth_url);
  return back.searchParams.get('connection_id') as string;
};

const trigger = async (connectionId: string, mode: 'incremental' | 'full' = 'full') => {
  for (const s of ['issues', 'pull_requests', 'repositories']) {
    await api(`/v1/connections/${connectionId}/syncs/${s}`, { method: 'PATCH', body: { paused: true } });
  }
  const r = await api('/v1/syncs/trigger', {
    method: 'POST',
    body: { connection_id: connectionId, syncs: ['issues'], mode },
  });
  return {
    tenant_id: h.tenantId,
    connection_id: connectionId,
    sync: 'issues',
    run_id: r.body.data.runs[0].id as string,
    mode,
  };
};

type Msg = Awaited<ReturnType<typeof trigger>>;
type Hooks = {
  beforeCall?: (i: number, msg: Msg) => Promise<void> | void;
  twice?: boolean;
  /** Return as soon as the run ended, before its changes are in the feed. */
  unsettled?: boolean;
  /** What each invocation has left (1 s, so one page each, unless given). */
  remainingMs?: number;
};

/** Delivers the run's message until it is finished; returns every outcome seen. */
const drive = async (msg: Msg, hooks: Hooks = {}): Promise<EngineOutcome[]> => {
  const outcomes: EngineOutcome[] = [];
  let attempt = 1;
  for (let i = 0; i < 200; i++) {
    await hooks.beforeCall?.(i, msg);
    const budget = { remainingMs: () => hooks.remainingMs ?? 1_000, attempt, lastAttempt: false };
    const results = hooks.twice
      ? await Promise.all([runSyncMessage(msg, budget), runSyncMessage(msg, budget)])
      : [await runSyncMessage(msg, budget)];
    outcomes.push(...results);
    if (results.some((o) => o.kind === 'done' && o.status !== 'duplicate')) {
      // A run ends in the invocation that stored its last page and reads `success` once the
      // feed shows its changes (SETTLE_MS later): the test waits that long, as a client would.
      if (!hooks.unsettled) await new Promise((r) => setTimeout(r, SETTLE_MS + 50));
      return outcomes;
    }
    if (results.every((o) => o.kind === 'done')) return outcomes;
    // A finished run waits for its changes to become visible in the feed (SETTLE_MS):
    // the queue would hold the message back that long, so the test does too.
    const settle = results.find((o) => o.kind === 'finishing');
    if (settle?.kind === 'finishing') await new Promise((r) => setTimeout(r, settle.delaySeconds * 1000));
    attempt = results.some((o) => o.kind === 'retry') ? attempt + 1 : 1;
  }
  throw new Error('run never finished');
};

/** id → content hash of the live records of a connection. */
const snapshot = async (connectionId: string) => {
  const out = new Map<string, string>();
  let start: Record<string, unknown> | undefined;
  do {
    const r = await dynamo().send(
      new QueryCommand({
        TableName: tableName('records'),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': recordsPk(h.tenantId, connectionId, 'work_item') },
        ExclusiveStartKey: start,
      }),
    );
    for (const i of r.Items ?? []) if (!i.deleted_at) out.set(i.id as string, i.hash as string);
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
};

const runOf = async (id: string): Promise<Json> => (await api(`/v1/sync-runs/${id}`)).body.data;
let clean: Map<string, string>;

beforeAll(async () => {
  h = await startHarness();
  fake = await startGitHubFake({ userTokensExpire: true });
  fake.seedIssues(ISSUES, { repo: 'acme/product', pullRequests: 40 });
  await api('/v1/settings', { method: 'PATCH', body: { redirect_url_allowlist: [REDIRECT] } });
  await api('/v1/integrations', {
    method: 'POST',
    body: { unique_key: 'gh-pat', provider: 'github', endpoints: { api_base_url: fake.apiBaseUrl } },
  });
  await api('/v1/integrations', {
    method: 'POST',
    body: {
      unique_key: 'gh-oauth',
      provider: 'github',
      oauth_client_id: fake.oauthClient.clientId,
      oauth_client_secret: fake.oauthClient.clientSecret,
      endpoints: {
        authorization_url: fake.authorizationUrl,
        token_url: fake.tokenUrl,
        api_base_url: fake.apiBaseUrl,
      },
    },
  });
  const id = await connectWithToken('u_clean');
  const msg = await trigger(id);
  await drive(msg);
  expect((await runOf(msg.run_id)).status).toBe('success');
  clean = await snapshot(id);
  expect(clean.size).toBe(ISSUES);
});
afterAll(async () => {
  await h.stop();
  await fake.stop();
});

describe('after each fault the records are exactly those of a clean run', () => {
  it('429 with Retry-After mid-run: waits that long from a fresh message, then resumed', async () => {
    const id = await connectWithToken('u_429');
    const msg = await trigger(id);
    const outcomes = await drive(msg, {
      beforeCall: (i) => (i === 2 ? fake.rateLimitNext(1, 17) : undefined),
    });
    // A wait, not a retry: it spends none of the message's receives (test/integration/sync-heal.test.ts).
    expect(outcomes).toContainEqual({ kind: 'waiting', delaySeconds: 17, reason: 'provider rate limit' });
    expect(outcomes.some((o) => o.kind === 'retry')).toBe(false);
    const run = await runOf(msg.run_id);
    expect(run.status).toBe('success');
    expect(await snapshot(id)).toEqual(clean);
  });

  it('a burst of 500s: retried with growing delays, then resumed', async () => {
    const id = await connectWithToken('u_500');
    const msg = await trigger(id);
    const outcomes = await drive(msg, { beforeCall: (i) => (i === 1 ? fake.failNext(3, 500) : undefined) });
    const delays = outcomes
      .filter((o) => o.kind === 'retry')
      .map((o) => (o as { delaySeconds: number }).delaySeconds);
    expect(delays).toEqual([10, 20, 40]);
    expect((await runOf(msg.run_id)).status).toBe('success');
    expect(await snapshot(id)).toEqual(clean);
  });

  it('a provider that stops answering mid-run: timed out, retried, resumed', async () => {
    const id = await connectWithToken('u_timeout');
    const msg = await trigger(id);
    process.env.PROVIDER_TIMEOUT_MS = '300';
    try {
      const outcomes = await drive(msg, { beforeCall: (i) => (i === 2 ? fake.stallNext(1) : undefined) });
      const retry = outcomes.find((o) => o.kind === 'retry');
      expect(retry).toMatchObject({ kind: 'retry', delaySeconds: 10 });
      expect((retry as { reason: string }).reason).toContain('did not answer in time');
    } finally {
      delete process.env.PROVIDER_TIMEOUT_MS;
    }
    expect((await runOf(msg.run_id)).status).toBe('success');
    expect(await snapshot(id)).toEqual(clean);
  });

  it('killed between storing a page and saving its checkpoint: the page is replayed, not doubled', async () => {
    const id = await connectWithToken('u_killed');
    const msg = await trigger(id);
    let previous: unknown;
    await drive(msg, {
      beforeCall: async (i) => {
        const s = await getSync(h.tenantId, id, 'issues');
        if (i === 3 && previous !== undefined) {
          // The crash: page 3 is stored, its checkpoint never was.
          await dynamo().send(
            new UpdateCommand({
              TableName: tableName('state'),
              Key: { pk: `TENANT#${h.tenantId}`, sk: `SYNC#${id}#issues` },
              UpdateExpression: 'SET checkpoint = :prev',
              ExpressionAttributeValues: { ':prev': previous },
            }),
          );
        }
        previous = s?.checkpoint;
      },
    });
    const run = await runOf(msg.run_id);
    expect(run.status).toBe('success');
    expect(run.records.added).toBe(ISSUES); // the replayed page added nothing twice
    expect(await snapshot(id)).toEqual(clean);
  });

  it('every message delivered twice, at the same time: one run, nothing doubled', async () => {
    const id = await connectWithToken('u_twice');
    const msg = await trigger(id);
    const outcomes = await drive(msg, { twice: true });
    expect(outcomes.some((o) => o.kind === 'retry' && o.reason.includes('lease'))).toBe(true);
    const run = await runOf(msg.run_id);
    expect(run.status).toBe('success');
    expect(run.records.added).toBe(ISSUES);
    expect(await snapshot(id)).toEqual(clean);
  });

  it('a token that dies mid-run: refreshed once, the page retried', async () => {
    const id = await connectWithOAuth('u_token');
    const msg = await trigger(id);
    const refreshes = fake.refreshCount();
    await drive(msg, { beforeCall: (i) => (i === 2 ? fake.expireAccessTokens() : undefined) });
    expect((await runOf(msg.run_id)).status).toBe('success');
    expect(fake.refreshCount() - refreshes).toBe(1);
    expect(await snapshot(id)).toEqual(clean);
  });

  it('a failure on the last receive ends the run as error, and a full run never deletes after it', async () => {
    const id = await connectWithToken('u_dlq');
    const first = await trigger(id);
    await drive(first);
    const before = await snapshot(id);
    const msg = await trigger(id);
    fake.failNext(1, 500);
    const out = await runSyncMessage(msg, { remainingMs: () => 1_000, attempt: 5, lastAttempt: true });
    expect(out).toEqual({ kind: 'done', status: 'error' });
    const run = await runOf(msg.run_id);
    expect(run.status).toBe('error');
    expect(run.error).toMatch(/500/);
    expect((await api(`/v1/connections/${id}`)).body.data.sync_status).toBe('failed');
    expect(await snapshot(id)).toEqual(before);
  });

  it('sync_status: degraded while one sync fails and another succeeds, or an enabled sync is late', async () => {
    const id = await connectWithToken('u_health');
    const status = async () => (await api(`/v1/connections/${id}`)).body.data.sync_status;
    const failing = await trigger(id);
    fake.failNext(1, 500);
    await runSyncMessage(failing, { remainingMs: () => 1_000, attempt: 5, lastAttempt: true });
    expect(await status()).toBe('failed');

    // `repositories` succeeds, `issues` still failed: partly failed.
    const r = await api('/v1/syncs/trigger', {
      method: 'POST',
      body: { connection_id: id, syncs: ['repositories'], mode: 'full' },
    });
    await drive({ ...failing, sync: 'repositories', run_id: r.body.data.runs[0].id });
    expect(await status()).toBe('degraded');

    // Both succeed: healthy — until an enabled sync's last success is over two periods old.
    await drive(await trigger(id));
    expect(await status()).toBe('healthy');
    await api(`/v1/connections/${id}/syncs/issues`, {
      method: 'PATCH',
      body: { paused: false, frequency: '1h' },
    });
    await updateSync(h.tenantId, id, 'issues', {
      last_sync_date: new Date(Date.now() - 3 * 3600_000).toISOString(),
    });
    await api(`/v1/connections/${id}/syncs/issues`, { method: 'PATCH', body: { paused: false } });
    expect(await status()).toBe('degraded');
    // Paused, it can't be late.
    await api(`/v1/connections/${id}/syncs/issues`, { method: 'PATCH', body: { paused: true } });
    expect(await status()).toBe('healthy');
  });
});

describe('a run ends in the invocation that stored its last page', () => {
  it('no second invocation; it reads running until the feed shows its changes, then success with all of them', async () => {
    const id = await connectWithToken('u_settle');
    const msg = await trigger(id);
    const outcomes = await drive(msg, { unsettled: true });
    // One invocation a page (the short budget), the last of them ending the run: nothing parked.
    expect(outcomes.at(-1)).toEqual({ kind: 'done', status: 'success' });
    expect(outcomes.filter((o) => o.kind === 'finishing')).toEqual([]);
    const stored = (await getRun(h.tenantId, msg.run_id)) as RunItem;
    expect(stored.status).toBe('success');
    const visibleAt = stored.visible_at as number;
    expect(visibleAt).toBeGreaterThan(Date.parse(stored.finished_at as string));
    // Until the feed shows the last change the run and its sync read `running`; from then, `success`.
    expect(runView(stored, { now: visibleAt - 1 })).toMatchObject({ status: 'running', finished_at: null });
    expect(runView(stored, { now: visibleAt })).toMatchObject({
      status: 'success',
      records: { added: ISSUES },
    });
    const state = await getSync(h.tenantId, id, 'issues');
    expect(state).toMatchObject({ status: 'success', visible_at: visibleAt });
    expect(state?.current_run_id).toBeUndefined();

    await new Promise((r) => setTimeout(r, Math.max(0, visibleAt - Date.now()) + 50));
    expect(await runOf(msg.run_id)).toMatchObject({ status: 'success', records: { added: ISSUES } });
    const listed = (await api(`/v1/sync-runs?connection_id=${id}&status=success`)).body.data
      .sync_runs as Json[];
    expect(listed.map((r) => r.id)).toContain(msg.run_id);
    expect(await snapshot(id)).toEqual(clean);
  });

  it('in one invocation the sync state is written once to start, once per page before the last, once to end', async () => {
    const id = await connectWithToken('u_writes');
    const msg = await trigger(id);
    const sk = `SYNC#${id}#issues`;
    let writes = 0;
    const counting = ((next: InitializeHandler<object, object>, context: { commandName?: string }) =>
      async (args: InitializeHandlerArguments<object>) => {
        // UpdateCommand's key as given, or UpdateItemCommand's marshalled: whichever this step sees.
        const key = (args.input as { Key?: { sk?: string | { S?: string } } }).Key?.sk;
        const named = typeof key === 'string' ? key : key?.S;
        if (context.commandName?.startsWith('Update') && named === sk) writes++;
        return next(args);
      }) as never;
    dynamo().middlewareStack.add(counting, { step: 'initialize', name: 'countSyncStateWrites' });
    try {
      const outcomes = await drive(msg, { remainingMs: 300_000 });
      expect(outcomes).toEqual([{ kind: 'done', status: 'success' }]);
    } finally {
      dynamo().middlewareStack.remove('countSyncStateWrites');
    }
    const run = await runOf(msg.run_id);
    expect(run).toMatchObject({ status: 'success', records: { added: ISSUES } });
    expect(run.pages).toBeGreaterThan(1);
    // No heartbeat (the trigger's is fresh), no checkpoint for the last page, no parking.
    // Before: two to start, one per page, a heartbeat, the parking and the end (pages + 5).
    expect(writes).toBe(1 + (run.pages - 1) + 1);
    expect(await snapshot(id)).toEqual(clean);
  });

  it('the run item is written at its claim and its end only; a started run reads running from its sync state', async () => {
    const id = await connectWithToken('u_run_item');
    // `issues` stays queued (never started) beside the `repositories` run (one page).
    const issues = await trigger(id);
    const r = await api('/v1/syncs/trigger', {
      method: 'POST',
      body: { connection_id: id, syncs: ['repositories'], mode: 'full' },
    });
    const msg = { ...issues, sync: 'repositories', run_id: r.body.data.runs[0].id as string };
    // What a worker's start writes: the sync state alone.
    const startedAt = new Date(Date.now() - 60_000).toISOString();
    await startRun(h.tenantId, id, 'repositories', msg.run_id, { initProgress: true, startedAt });
    expect((await getRun(h.tenantId, msg.run_id))?.status).toBe('queued');
    expect(await runOf(msg.run_id)).toMatchObject({ status: 'running', started_at: startedAt });
    const listed = async (status: string) =>
      ((await api(`/v1/sync-runs?connection_id=${id}&status=${status}`)).body.data.sync_runs as Json[]).map(
        (x) => x.id,
      );
    expect(await listed('running')).toEqual([msg.run_id]);
    expect(await listed('queued')).toEqual([issues.run_id]);
    const detail = (await api(`/v1/connections/${id}`)).body.data.sync_runs as Json[];
    expect(detail.find((x) => x.id === msg.run_id)).toMatchObject({
      status: 'running',
      started_at: startedAt,
    });
    expect(detail.find((x) => x.id === issues.run_id)).toMatchObject({ status: 'queued', started_at: null });

    const sk = `RUN#${msg.run_id}`;
    let writes = 0;
    const counting = ((next: InitializeHandler<object, object>, context: { commandName?: string }) =>
      async (args: InitializeHandlerArguments<object>) => {
        const key = (args.input as { Key?: { sk?: string | { S?: string } } }).Key?.sk;
        const named = typeof key === 'string' ? key : key?.S;
        if (/^(Update|Put)/.test(context.commandName ?? '') && named === sk) writes++;
        return next(args);
      }) as never;
    dynamo().middlewareStack.add(counting, { step: 'initialize', name: 'countRunWrites' });
    try {
      expect(await drive(msg, { remainingMs: 300_000 })).toEqual([{ kind: 'done', status: 'success' }]);
    } finally {
      dynamo().middlewareStack.remove('countRunWrites');
    }
    // The end alone (the start was `running` on the run item too before: two writes).
    expect(writes).toBe(1);
    const done = await runOf(msg.run_id);
    expect(done).toMatchObject({ status: 'success', started_at: startedAt });
    expect(done.duration_ms).toBeGreaterThanOrEqual(60_000);
    expect((await getSync(h.tenantId, id, 'repositories'))?.run_started_at).toBeUndefined();
  });
});
