import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { InitializeHandler, InitializeHandlerArguments } from '@smithy/types';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyStripeStyle } from '../../adapters/webhook-signatures';
import { attemptDelivery, BACKOFF_SECONDS, type DeliveryOutcome } from '../../core/outbound/deliver';
import { type Emission, emitEvents, recordsChanged } from '../../core/outbound/emit';
import type { OutboundMessage } from '../../core/outbound/events';
import { dynamo } from '../../core/platform/aws';
import { tableName } from '../../core/platform/config';
import { newId } from '../../core/platform/ids';
import { sqsClient } from '../../core/platform/sqs';
import { shardKeys, shardOf } from '../../core/store/shard-merge';
import {
  DELIVERY_RETENTION_SECONDS,
  DELIVERY_SHARDS,
  type DeliveryItem,
  listDeliveries,
  putDeadLetter,
  putDelivery,
} from '../../core/store/webhook-deliveries-repo';
import { workerFor } from '../../functions/workers';
import { handler as outboundWorker } from '../../functions/workers/outbound-worker';
import { lambdaContext } from '../../local/lambda-context';
import { pollWorker } from '../../local/runtime';
import { type GitHubFake, startGitHubFake } from '../fakes/github';
import { startGoogleCalendarFake } from '../fakes/google-calendar';
import { sensitive } from '../leak-watch';
import { sqsRecord } from '../sqs-record';
import { newBrowser } from './browser';
import { call, expectError, type Harness, type Json, newTenant, startHarness } from './harness';
import { type Received, runEventData, startSubscriber } from './webhook-subscriber';

/**
 * Outbound webhooks (issue 7, part 3) as a tenant uses them: subscribe a local endpoint,
 * connect and sync, and receive signed `connection.created`, `sync.completed` and
 * `records.changed` events through the real queue and worker; a subscriber that fails
 * gets the same event again on the backoff schedule until it answers 2xx, or until 24 h
 * have passed — then the delivery is dead and in the DLQ. Retries are driven by calling
 * the delivery step with each retry message and the time it is due (no waiting).
 */

let h: Harness;
let gh: GitHubFake;
let subscriber: Awaited<ReturnType<typeof startSubscriber>>;
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
const pollers: { stop: () => Promise<void> }[] = [];
const ctx: Context = lambdaContext('outbound-test');

const api = (path: string, init: { method?: string; body?: unknown; key?: string } = {}) =>
  call(h.gateway.url, path, {
    key: init.key ?? h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

/**
 * Creates a subscription. The one answer that carries the secret is read here directly,
 * not through `call` (which records every answer for the run's leak check); the secret is
 * then registered, so it must appear in no other answer and no log line of the whole run.
 */
const subscribe = async (url: string, events: string[], key = h.key) => {
  const res = await fetch(`${h.gateway.url}/v1/webhook-subscriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: JSON.stringify({ url, events }),
  });
  const body = (await res.json()) as Json;
  expect(res.status, JSON.stringify(body)).toBe(201);
  return {
    ...(body.data as { id: string; url: string; events: string[]; created_at: string }),
    secret: sensitive(body.data.secret as string),
  };
};

const until = async <T>(what: string, find: () => T | undefined, timeoutMs = 30_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const verified = (r: Received, secret: string, now = Date.now()) => {
  verifyStripeStyle(r.headers['x-signature'] as string, secret, r.body, now);
  return true;
};

/** The message emitEvent queues for a subscription, built by hand to drive attempts directly. */
const firstMessage = (tenantId: string, subscriptionId: string): OutboundMessage => ({
  tenant_id: tenantId,
  subscription_id: subscriptionId,
  event: {
    id: newId('evt'),
    type: 'sync.failed',
    created_at: new Date().toISOString(),
    data: runEventData('error'),
  },
  attempt: 1,
});

/** The SQS record the event source hands the outbound worker for `msg`. */
const sqsRecordOf = (msg: OutboundMessage) =>
  sqsRecord(JSON.stringify(msg), { id: newId('req'), queue: 'integrations-OutboundQueue' });

/** Walks the retry chain from `msg` at `start`, each retry at its due time; every outcome in order. */
const walk = async (msg: OutboundMessage, start: number): Promise<DeliveryOutcome[]> => {
  const outcomes: DeliveryOutcome[] = [];
  let next: OutboundMessage | undefined = msg;
  let now = start;
  while (next && outcomes.length < 50) {
    const o = await attemptDelivery(next, now);
    outcomes.push(o);
    next = o.kind === 'retrying' ? o.next : undefined;
    if (o.kind === 'retrying') now = Date.parse(o.next.due_at as string);
  }
  return outcomes;
};

beforeAll(async () => {
  h = await startHarness();
  gh = await startGitHubFake();
  gh.seedIssues(30, { repo: 'acme/hooks' });
  subscriber = await startSubscriber();
  for (const queue of ['outbound', 'sync'] as const) pollers.push(pollWorker(sqs, workerFor(queue)));
});
afterAll(async () => {
  await Promise.all(pollers.map((p) => p.stop()));
  sqs.destroy();
  await h.stop();
  await gh.stop();
  await subscriber.stop();
});

describe('delivery through the queue', () => {
  let sub: Awaited<ReturnType<typeof subscribe>>;
  let connectionId: string;

  it('a subscriber hears connection.created, then sync.completed and records.changed after a sync, signed', {
    timeout: 60_000,
  }, async () => {
    sub = await subscribe(`${subscriber.url}/hooks`, [
      'connection.created',
      'sync.completed',
      'records.changed',
    ]);
    await api('/v1/integrations', {
      method: 'POST',
      body: { unique_key: 'gh-hooks', provider: 'github', endpoints: { api_base_url: gh.apiBaseUrl } },
    });
    const c = await api('/v1/connections', {
      method: 'POST',
      body: { integration: 'gh-hooks', end_user_id: 'u_hooks', credentials: gh.valid },
    });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    connectionId = c.body.data.id;
    // Only the run this test triggers: the schedule stays out of the way.
    for (const s of ['issues', 'pull_requests', 'repositories']) {
      await api(`/v1/connections/${connectionId}/syncs/${s}`, { method: 'PATCH', body: { paused: true } });
    }

    const created = await until('connection.created', () =>
      subscriber.events('/hooks').find((r) => r.event.type === 'connection.created'),
    );
    expect(created.event.data.connection_id).toBe(connectionId);
    expect(created.event.data.connection).toMatchObject({
      id: connectionId,
      provider: 'github',
      status: 'active',
    });
    expect(verified(created, sub.secret)).toBe(true);

    const t = await api('/v1/syncs/trigger', {
      method: 'POST',
      body: { connection_id: connectionId, syncs: ['issues'], mode: 'full' },
    });
    expect(t.status, JSON.stringify(t.body)).toBe(202);
    const runId = t.body.data.runs[0].id as string;

    const completed = await until('sync.completed', () =>
      subscriber
        .events('/hooks')
        .find((r) => r.event.type === 'sync.completed' && r.event.data.run_id === runId),
    );
    // The headers of the contract, and a signature the subscriber can check with its secret.
    expect(completed.headers['content-type']).toBe('application/json');
    expect(completed.headers['x-webhook-id']).toBe(completed.event.id);
    expect(completed.headers['x-webhook-event']).toBe('sync.completed');
    expect(completed.headers['x-webhook-attempt']).toBe('1');
    expect(completed.headers['x-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verified(completed, sub.secret)).toBe(true);
    expect(() =>
      verifyStripeStyle(
        completed.headers['x-signature'] as string,
        sub.secret,
        `${completed.body} `,
        Date.now(),
      ),
    ).toThrow();
    expect(() =>
      verifyStripeStyle(
        completed.headers['x-signature'] as string,
        'whsec_other',
        completed.body,
        Date.now(),
      ),
    ).toThrow();

    // The envelope: id, type, created_at, data — and no tenant id.
    expect(Object.keys(completed.event).sort()).toEqual(['created_at', 'data', 'id', 'type']);
    expect(completed.event.id).toMatch(/^evt_/);
    expect(completed.event.data).toMatchObject({
      run_id: runId,
      connection_id: connectionId,
      sync: 'issues',
      status: 'success',
      mode: 'full',
      records: { added: 30, updated: 0, deleted: 0 },
      error: null,
    });

    const changed = await until('records.changed', () =>
      subscriber
        .events('/hooks')
        .find((r) => r.event.type === 'records.changed' && r.event.data.run_id === runId),
    );
    expect(verified(changed, sub.secret)).toBe(true);
    expect(changed.event.data).toEqual({
      connection_id: connectionId,
      sync: 'issues',
      model: 'work_item',
      run_id: runId,
      // Runs and provider webhooks announce changes alike; `source` says which.
      source: 'sync',
      records: { added: 30, updated: 0, deleted: 0 },
      feed: `GET /v1/records?connection_id=${connectionId}&model=work_item`,
    });
    // By the time it arrives, the feed shows what it announces.
    const feed = await api(`/v1/records?connection_id=${connectionId}&model=work_item&limit=100`);
    expect(feed.body.data.records).toHaveLength(30);

    // Each event once, each attempt listed.
    for (const e of [created, completed, changed]) {
      expect(subscriber.events('/hooks').filter((r) => r.event.id === e.event.id)).toHaveLength(1);
    }
    const d = await api(`/v1/webhook-subscriptions/${sub.id}/deliveries`);
    expect(d.status).toBe(200);
    const byEvent = new Map((d.body.data.deliveries as Json[]).map((x) => [x.event_id, x]));
    for (const e of [created, completed, changed]) {
      expect(byEvent.get(e.event.id)).toMatchObject({
        event: e.event.type,
        attempt: 1,
        status: 'delivered',
        response_status: 200,
        error: null,
        next_attempt_at: null,
      });
    }
  });

  it('a failed run emits sync.failed, to the subscriptions that asked for it only', {
    timeout: 60_000,
  }, async () => {
    const failures = await subscribe(`${subscriber.url}/failures`, ['sync.failed']);
    // A refusal (403, not transient): the run ends in error at once.
    gh.refuseNext(10);
    const t = await api('/v1/syncs/trigger', {
      method: 'POST',
      body: { connection_id: connectionId, syncs: ['repositories'], mode: 'full' },
    });
    expect(t.status, JSON.stringify(t.body)).toBe(202);
    const runId = t.body.data.runs[0].id as string;
    const heard = await until('sync.failed', () =>
      subscriber.events('/failures').find((r) => r.event.data.run_id === runId),
    );
    expect(heard.event.type).toBe('sync.failed');
    expect(heard.event.data).toMatchObject({ run_id: runId, connection_id: connectionId, status: 'error' });
    expect(heard.event.data.error).toContain('Resource not accessible');
    expect(verified(heard, failures.secret)).toBe(true);
    // /hooks subscribed to sync.completed, not sync.failed: nothing about this run there.
    expect(subscriber.events('/hooks').filter((r) => r.event.data.run_id === runId)).toEqual([]);
  });

  it('events emitted together share one SendMessageBatch; an entry SQS refuses is sent again, none lost', {
    timeout: 60_000,
  }, async () => {
    const t = await newTenant('outbound-together');
    await subscribe(`${subscriber.url}/together`, ['records.changed', 'provider.event'], t.key);
    // Each SendMessageBatch to the outbound queue: its entries; `refuse` fakes SQS refusing
    // one entry of the next call (that entry is not sent).
    const calls: string[][] = [];
    let refuse: string | undefined;
    const watch = ((next: InitializeHandler<object, object>, context: { commandName?: string }) =>
      async (args: InitializeHandlerArguments<object>) => {
        const input = args.input as { QueueUrl?: string; Entries?: { Id: string; MessageBody: string }[] };
        if (context.commandName !== 'SendMessageBatchCommand' || !input.QueueUrl?.includes('utbound')) {
          return next(args);
        }
        calls.push((input.Entries ?? []).map((e) => JSON.parse(e.MessageBody).event.type as string));
        const refused = refuse;
        refuse = undefined;
        if (refused === undefined) return next(args);
        const kept = (input.Entries ?? []).filter((e) => e.Id !== refused);
        const out = (await next({ ...args, input: { ...input, Entries: kept } })) as {
          output: { Failed?: unknown[] };
        };
        out.output.Failed = [{ Id: refused, SenderFault: false, Code: 'InternalError' }];
        return out;
      }) as never;
    sqsClient().middlewareStack.add(watch, { step: 'initialize', name: 'watchOutboundBatches' });
    // As the webhook processor emits them for one event.
    const both = (n: number): Emission[] => [
      recordsChanged(
        {
          connection_id: `conn_together_${n}`,
          sync: 'issues',
          model: 'work_item',
          run_id: null,
          source: 'webhook',
          records: { added: 0, updated: 1, deleted: 0 },
        },
        { visible: true },
      ) as Emission,
      {
        type: 'provider.event',
        data: {
          connection_id: `conn_together_${n}`,
          integration: 'gh-together',
          provider: 'github',
          event_type: 'issues',
          delivery_id: `d-${n}`,
          received_at: new Date().toISOString(),
          payload_verified: true,
          payload: { action: 'edited' },
        },
      },
    ];
    try {
      expect((await emitEvents(t.tenantId, both(1))).every(Boolean)).toBe(true);
      expect(calls).toEqual([['records.changed', 'provider.event']]);
      refuse = '1';
      expect((await emitEvents(t.tenantId, both(2))).every(Boolean)).toBe(true);
      // The refused entry alone, sent again.
      expect(calls.slice(1)).toEqual([['records.changed', 'provider.event'], ['provider.event']]);
    } finally {
      sqsClient().middlewareStack.remove('watchOutboundBatches');
    }
    // Every event reaches the subscriber, the refused one too.
    const heard = await until('four events', () => {
      const got = subscriber.events('/together').map((r) => `${r.event.type} ${r.event.data.connection_id}`);
      return got.length >= 4 ? got : undefined;
    });
    expect(heard.sort()).toEqual([
      'provider.event conn_together_1',
      'provider.event conn_together_2',
      'records.changed conn_together_1',
      'records.changed conn_together_2',
    ]);
  });
});

describe('retries', () => {
  it('500, 500, 500, then 200: delivered once, after 4 attempts on the backoff schedule, all listed', async () => {
    const sub = await subscribe(`${subscriber.url}/flaky`, ['sync.failed']);
    subscriber.script('/flaky', [500, 500, 500, 200]);
    const msg = firstMessage(h.tenantId, sub.id);
    const t0 = Date.now();

    // Not yet due: the message goes back to wait, and nobody is called.
    const first = await attemptDelivery(msg, t0);
    expect(first.kind).toBe('retrying');
    if (first.kind !== 'retrying') return;
    expect(first.delaySeconds).toBe(BACKOFF_SECONDS[0]);
    const early = await attemptDelivery(first.next, t0 + 2_000);
    expect(early.kind).toBe('waiting');
    expect(subscriber.events('/flaky')).toHaveLength(1);

    const rest = await walk(first.next, Date.parse(first.next.due_at as string));
    const outcomes = [first, ...rest];
    expect(outcomes.map((o) => o.kind)).toEqual(['retrying', 'retrying', 'retrying', 'delivered']);
    // 10 s, then 30 s, then 2 min between attempts.
    const times = outcomes.map((o) => ('attempt' in o ? Date.parse(o.attempt.attempted_at) : 0));
    expect(times.slice(1).map((at, i) => (at - (times[i] as number)) / 1000)).toEqual([10, 30, 120]);

    const got = subscriber.events('/flaky');
    expect(got.map((r) => r.answered)).toEqual([500, 500, 500, 200]);
    expect(got.filter((r) => r.answered === 200)).toHaveLength(1);
    expect(new Set(got.map((r) => r.headers['x-webhook-id']))).toEqual(new Set([msg.event.id]));
    expect(got.map((r) => r.headers['x-webhook-attempt'])).toEqual(['1', '2', '3', '4']);
    // Each attempt is signed afresh, at its own time.
    got.forEach((r, i) => {
      expect(verified(r, sub.secret, times[i] as number)).toBe(true);
    });

    const d = await api(`/v1/webhook-subscriptions/${sub.id}/deliveries`);
    const list: Json[] = d.body.data.deliveries;
    expect(list.map((x) => [x.attempt, x.status, x.response_status])).toEqual([
      [4, 'delivered', 200],
      [3, 'retrying', 500],
      [2, 'retrying', 500],
      [1, 'retrying', 500],
    ]);
    for (const x of list) {
      expect(x).toMatchObject({ event_id: msg.event.id, event: 'sync.failed' });
      expect(x.duration_ms).toBeGreaterThanOrEqual(0);
      expect(x.error).toBe(x.status === 'delivered' ? null : 'HTTP 500');
      expect(x.next_attempt_at === null).toBe(x.status === 'delivered');
    }
    expect(list[3].next_attempt_at).toBe(list[2].attempted_at);
    // Paged like every list.
    const p1 = await api(`/v1/webhook-subscriptions/${sub.id}/deliveries?limit=3`);
    const p2 = await api(
      `/v1/webhook-subscriptions/${sub.id}/deliveries?limit=3&cursor=${encodeURIComponent(p1.body.data.next_cursor)}`,
    );
    expect([...p1.body.data.deliveries, ...p2.body.data.deliveries].map((x: Json) => x.attempt)).toEqual([
      4, 3, 2, 1,
    ]);
    expect(p2.body.data.next_cursor).toBeNull();
  });

  it('a subscriber that never answers 2xx: retried for 24 h, then dead', async () => {
    const sub = await subscribe(`${subscriber.url}/down`, ['sync.failed']);
    subscriber.script('/down', Array(100).fill(503));
    const msg = firstMessage(h.tenantId, sub.id);
    const t0 = Date.now();
    const outcomes = await walk(msg, t0);
    const last = outcomes.at(-1) as DeliveryOutcome;
    expect(last.kind).toBe('dead');
    expect(outcomes.slice(0, -1).every((o) => o.kind === 'retrying')).toBe(true);
    const times = outcomes.map((o) => ('attempt' in o ? Date.parse(o.attempt.attempted_at) : 0));
    const gaps = times.slice(1).map((at, i) => (at - (times[i] as number)) / 1000);
    // 10 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 4 h…, the last attempt at 24 h exactly.
    expect(gaps.slice(0, 8)).toEqual([...BACKOFF_SECONDS]);
    expect(gaps.slice(8, -1).every((g) => g === 14_400)).toBe(true);
    expect((times.at(-1) as number) - t0).toBe(24 * 3600_000);
    expect(subscriber.events('/down')).toHaveLength(outcomes.length);
    if (last.kind === 'dead') {
      expect(last.attempt).toMatchObject({ status: 'dead', response_status: 503, next_attempt_at: null });
      // What goes to the DLQ is the next attempt's message: redriven, it tries once more.
      expect(last.message).toMatchObject({
        attempt: outcomes.length + 1,
        first_attempt_at: new Date(t0).toISOString(),
      });
      expect(last.message.due_at).toBeUndefined();
    }
    const newest: Json = (await api(`/v1/webhook-subscriptions/${sub.id}/deliveries?limit=1`)).body.data
      .deliveries[0];
    expect(newest).toMatchObject({ attempt: outcomes.length, status: 'dead', next_attempt_at: null });
  });

  it('the worker puts a dead delivery in the DLQ and acknowledges it', async () => {
    const sub = await subscribe(`${subscriber.url}/gone`, ['sync.failed']);
    subscriber.script('/gone', [500]);
    const msg: OutboundMessage = {
      ...firstMessage(h.tenantId, sub.id),
      attempt: 14,
      first_attempt_at: new Date(Date.now() - 24 * 3600_000 - 1_000).toISOString(),
    };
    const r = await outboundWorker({ Records: [sqsRecordOf(msg)] }, ctx);
    expect(r.batchItemFailures).toEqual([]);
    // Other files of the run don't use this DLQ; still, find ours by event id.
    let dead: Json;
    for (let i = 0; i < 20 && !dead; i++) {
      const got = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: process.env.OUTBOUND_QUEUE_DLQ_URL as string,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      const mine = (got.Messages ?? []).find((m) => m.Body?.includes(msg.event.id));
      if (mine) dead = JSON.parse(mine.Body as string);
    }
    expect(dead).toMatchObject({ subscription_id: sub.id, attempt: 15, event: { id: msg.event.id } });
  });

  it("a batch of one subscription's deliveries reads the subscription once, not once per delivery", async () => {
    const sub = await subscribe(`${subscriber.url}/batched`, ['sync.failed']);
    let reads = 0;
    const counter = ((next: InitializeHandler<object, object>, context: { commandName?: string }) =>
      async (args: InitializeHandlerArguments<object>) => {
        const key = JSON.stringify((args.input as { Key?: unknown }).Key ?? {});
        if (/^Get(Item)?Command$/.test(context.commandName ?? '') && key.includes(sub.id)) reads++;
        return next(args);
      }) as never;
    dynamo().middlewareStack.add(counter, { step: 'initialize', name: 'countSubscriptionReads' });
    try {
      const msgs = Array.from({ length: 5 }, () => firstMessage(h.tenantId, sub.id));
      const r = await outboundWorker(
        { Records: msgs.map((m) => sqsRecordOf(m)) },
        lambdaContext('outbound-test'),
      );
      expect(r.batchItemFailures).toEqual([]);
      // Every delivery made, signed with the subscription's secret; its item read once for all five.
      const heard = subscriber.events('/batched');
      expect(heard.map((x) => x.event.id).sort()).toEqual(msgs.map((m) => m.event.id).sort());
      for (const x of heard) expect(verified(x, sub.secret)).toBe(true);
      expect(reads).toBe(1);
    } finally {
      dynamo().middlewareStack.remove('countSubscriptionReads');
    }
  });

  it('a subscription deleted meanwhile: its pending deliveries are dropped', async () => {
    const sub = await subscribe(`${subscriber.url}/deleted`, ['sync.failed']);
    expect((await api(`/v1/webhook-subscriptions/${sub.id}`, { method: 'DELETE' })).status).toBe(200);
    const o = await attemptDelivery({ ...firstMessage(h.tenantId, sub.id), attempt: 3 });
    expect(o).toEqual({ kind: 'dropped', reason: 'subscription deleted' });
    expect(subscriber.events('/deleted')).toEqual([]);
  });

  it('a destination that became unacceptable: failed at once, not retried, nobody called', async () => {
    const sub = await subscribe(`${subscriber.url}/refused`, ['sync.failed']);
    // As deployed: plain http to loopback is no longer allowed.
    process.env.ALLOW_HTTP_LOOPBACK = 'false';
    let o: DeliveryOutcome;
    try {
      o = await attemptDelivery(firstMessage(h.tenantId, sub.id));
    } finally {
      process.env.ALLOW_HTTP_LOOPBACK = 'true';
    }
    expect(o.kind).toBe('failed');
    if (o.kind === 'failed') {
      expect(o.attempt).toMatchObject({ status: 'failed', response_status: null, next_attempt_at: null });
      expect(o.attempt.error).toMatch(/^destination refused/);
    }
    expect(subscriber.events('/refused')).toEqual([]);
  });

  it('an endpoint that does not answer within 10 s, or not at all, is retried', {
    timeout: 20_000,
  }, async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const sub = await subscribe(`http://127.0.0.1:${port}/nobody`, ['sync.failed']);
    const o = await attemptDelivery(firstMessage(h.tenantId, sub.id));
    expect(o.kind).toBe('retrying');
    if (o.kind === 'retrying') {
      expect(o.attempt).toMatchObject({ response_status: null, error: 'network error: ECONNREFUSED' });
    }

    // Accepts the connection, never answers.
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const slow = await subscribe(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/`, [
      'sync.failed',
    ]);
    const t = await attemptDelivery(firstMessage(h.tenantId, slow.id));
    silent.closeAllConnections();
    await new Promise<void>((r) => silent.close(() => r()));
    expect(t.kind).toBe('retrying');
    if (t.kind === 'retrying') {
      expect(t.attempt.error).toBe('no answer within 10 s');
      expect(t.attempt.duration_ms).toBeGreaterThanOrEqual(9_900);
    }
  });
});

describe('the delivery log, sharded', () => {
  it('lists newest first across every shard and the legacy key, each attempt once, pages exact while attempts are written', async () => {
    const t = await newTenant('outbound-log');
    const sub = await subscribe(`${subscriber.url}/log`, ['sync.failed'], t.key);
    const tenantApi = (path: string) => call(h.gateway.url, path, { key: t.key });
    // Three events in every shard (ids chosen by their shard), one attempt a second an
    // hour ago, the first event of each shard attempted twice.
    const events: string[] = [];
    const perShard = new Array<number>(DELIVERY_SHARDS).fill(0);
    for (let i = 0; events.length < DELIVERY_SHARDS * 3; i++) {
      const id = `evt_log${String(i).padStart(22, '0')}`;
      const n = shardOf(id, DELIVERY_SHARDS);
      if ((perShard[n] as number) < 3) {
        perShard[n] = (perShard[n] as number) + 1;
        events.push(id);
      }
    }
    const hourAgo = Date.now() - 3600_000;
    const attempt = (event_id: string, attempt: number, at: number): DeliveryItem => ({
      tenant_id: t.tenantId,
      subscription_id: sub.id,
      event_id,
      event: 'sync.failed',
      attempt,
      status: attempt === 1 ? 'retrying' : 'delivered',
      response_status: attempt === 1 ? 500 : 200,
      duration_ms: 3,
      error: attempt === 1 ? 'HTTP 500' : null,
      attempted_at: new Date(at).toISOString(),
      next_attempt_at: null,
      expires_at: Math.floor(at / 1000) + DELIVERY_RETENTION_SECONDS,
    });
    const written = events.map((e, i) => attempt(e, 1, hourAgo + i * 1000));
    for (const e of events.filter((_, i) => i % 3 === 0)) written.push(attempt(e, 2, hourAgo + 100_000));
    await Promise.all(written.map(putDelivery));
    // Written before the log was sharded: on the subscription's own key, between the others;
    // beside them a dead letter, which is no attempt.
    const legacyKey = `TENANT#${t.tenantId}#WHS#${sub.id}`;
    const legacy = [5, 17, 33].map((i) => attempt(`evt_legacy_${i}`, 1, hourAgo + i * 1000 + 500));
    for (const d of legacy)
      await dynamo().send(
        new PutCommand({
          TableName: tableName('runs'),
          Item: { pk: legacyKey, sk: `DLV#${d.attempted_at}#${d.event_id}#001`, ...d },
        }),
      );
    await putDeadLetter({
      tenant_id: t.tenantId,
      subscription_id: sub.id,
      event_id: 'evt_legacy_5',
      event: '{}',
      status: 'dead',
      ended_at: new Date().toISOString(),
      expires_at: Math.floor(Date.now() / 1000) + 3600,
    });
    // Every shard holds attempts (read key by key, not through the listing).
    for (const key of shardKeys(legacyKey, DELIVERY_SHARDS)) {
      const r = await dynamo().send(
        new QueryCommand({
          TableName: tableName('runs'),
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :dlv)',
          ExpressionAttributeValues: { ':pk': key, ':dlv': 'DLV#' },
        }),
      );
      expect(r.Items?.length, key).toBeGreaterThanOrEqual(3);
    }
    const all = [...written, ...legacy];
    const newestFirst = all
      .map((d) => `${d.attempted_at}#${d.event_id}#${d.attempt}`)
      .sort()
      .reverse();

    const walked: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await tenantApi(
        `/v1/webhook-subscriptions/${sub.id}/deliveries?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const page: Json[] = r.body.data.deliveries;
      expect(page.length).toBeLessThanOrEqual(7);
      walked.push(...page.map((x) => `${x.attempted_at}#${x.event_id}#${x.attempt}`));
      cursor = r.body.data.next_cursor;
      // Attempts made while the client pages are newer than its cursor: they shift nothing.
      if (++pages === 2) await putDelivery(attempt(events[1] as string, 3, Date.now()));
    } while (cursor);
    expect(walked).toEqual(newestFirst);
    expect(pages).toBe(Math.ceil(all.length / 7));
    // A fresh listing starts with it.
    const top = await tenantApi(`/v1/webhook-subscriptions/${sub.id}/deliveries?limit=1`);
    expect(top.body.data.deliveries[0]).toMatchObject({ event_id: events[1], attempt: 3 });

    // One Query per shard and one for the legacy key, a page.
    let queries = 0;
    dynamo().middlewareStack.add(
      ((next: InitializeHandler<object, object>, context: { commandName?: string }) =>
        async (args: InitializeHandlerArguments<object>) => {
          const input = args.input as { ExpressionAttributeValues?: Record<string, unknown> };
          if (
            /^Query(Command)?$/.test(context.commandName ?? '') &&
            input.ExpressionAttributeValues?.[':dlv']
          )
            queries++;
          return next(args);
        }) as never,
      { step: 'initialize', name: 'countDeliveryQueries' },
    );
    try {
      const first = await listDeliveries(t.tenantId, sub.id, 10, undefined);
      expect(first.items).toHaveLength(10);
      expect(queries).toBe(DELIVERY_SHARDS + 1);
      await listDeliveries(t.tenantId, sub.id, 10, first.nextKey);
      expect(queries).toBe(2 * (DELIVERY_SHARDS + 1));
    } finally {
      dynamo().middlewareStack.remove('countDeliveryQueries');
    }
  });
});

describe('connection events', () => {
  it('connection.created from the OAuth callback, connection.status_changed → disconnected when the provider revokes the grant', {
    timeout: 60_000,
  }, async () => {
    const google = await startGoogleCalendarFake();
    try {
      const t = await newTenant('outbound-oauth');
      const sub = await subscribe(
        `${subscriber.url}/lifecycle`,
        ['connection.created', 'connection.status_changed'],
        t.key,
      );
      const as = (path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') =>
        api(path, { key: t.key, method, ...(body === undefined ? {} : { body }) });
      const redirect = 'https://app.acme.com/done';
      await as('/v1/settings', { redirect_url_allowlist: [redirect] }, 'PATCH');
      await as('/v1/integrations', {
        unique_key: 'gcal',
        provider: 'google_calendar',
        oauth_client_id: google.oauthClient.clientId,
        oauth_client_secret: google.oauthClient.clientSecret,
        endpoints: {
          authorization_url: google.authorizationUrl,
          token_url: google.tokenUrl,
          api_base_url: google.apiBaseUrl,
        },
      });
      const s = await as('/v1/connect/sessions', {
        integration: 'gcal',
        end_user_id: 'u_cal',
        redirect_url: redirect,
      });
      const back = await newBrowser().connect(s.body.data.auth_url);
      const connectionId = back.searchParams.get('connection_id');
      expect(connectionId).toMatch(/^conn_/);

      const created = await until('connection.created', () =>
        subscriber.events('/lifecycle').find((r) => r.event.type === 'connection.created'),
      );
      expect(created.event.data).toMatchObject({
        connection_id: connectionId,
        connection: { provider: 'google_calendar', end_user_id: 'u_cal' },
      });
      expect(JSON.stringify(created.event)).not.toMatch(/access_token|refresh_token/);

      google.revokeAccess();
      expect((await as(`/v1/connections/${connectionId}/token?force_refresh=true`)).status).toBe(409);
      const expired = await until('connection.status_changed', () =>
        subscriber.events('/lifecycle').find((r) => r.event.type === 'connection.status_changed'),
      );
      expect(expired.event.data).toMatchObject({
        connection_id: connectionId,
        integration: 'gcal',
        provider: 'google_calendar',
        end_user_id: 'u_cal',
        old_status: 'active',
        new_status: 'disconnected',
      });
      expect(verified(expired, sub.secret)).toBe(true);
    } finally {
      await google.stop();
    }
  });
});

describe('subscriptions API', () => {
  const invalid = async (body: unknown, path: string) => {
    const r = await api('/v1/webhook-subscriptions', { method: 'POST', body });
    const e = expectError(r, 422, 'validation_failed');
    expect(e.details.issues.map((i: Json) => i.path)).toContain(path);
    return e.details.issues.find((i: Json) => i.path === path).message as string;
  };

  it.each([
    ['not a URL', 'not a url'],
    ['plain http to a public host', 'http://hooks.acme.com/in'],
    ['credentials in the URL', 'https://user:pw@hooks.acme.com/in'],
    ['a fragment', 'https://hooks.acme.com/in#x'],
    ['a private address', 'https://10.1.2.3/in'],
    ['another private range', 'https://192.168.0.10/in'],
    ['the cloud metadata service (link-local)', 'http://169.254.169.254/latest/meta-data'],
    ['link-local IPv6', 'https://[fe80::1]/in'],
    ['unique-local IPv6', 'https://[fd00::1]/in'],
    ['IPv4-mapped IPv6', 'https://[::ffff:10.0.0.1]/in'],
    ['the unspecified address', 'https://0.0.0.0/in'],
  ])('refuses %s → 422 on body.url', async (_, url) => {
    await invalid({ url, events: ['sync.completed'] }, 'body.url');
  });

  it('refuses unknown or missing events and unknown fields → 422', async () => {
    const msg = await invalid(
      { url: 'https://hooks.acme.com/in', events: ['sync.started'] },
      'body.events.0',
    );
    expect(msg).toContain('sync.completed');
    await invalid({ url: 'https://hooks.acme.com/in', events: [] }, 'body.events');
    await invalid({ url: 'https://hooks.acme.com/in' }, 'body.events');
    await invalid({ url: 'https://hooks.acme.com/in', events: ['sync.failed'], secret: 'mine' }, 'body');
  });

  it('shows the secret once; GET, the list and deliveries never show it', async () => {
    const sub = await subscribe('https://hooks.acme.com/in', [
      'records.changed',
      'records.changed',
      'provider.event',
    ]);
    expect(sub.id).toMatch(/^whs_/);
    // Standard Webhooks' format: whsec_ and the base64 of 32 random bytes.
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(sub.events).toEqual(['records.changed', 'provider.event']);
    expect(Date.parse(sub.created_at)).not.toBeNaN();

    const one = await api(`/v1/webhook-subscriptions/${sub.id}`);
    expect(one.status).toBe(200);
    expect(one.body.data).toEqual({
      id: sub.id,
      url: sub.url,
      events: sub.events,
      enabled: true,
      previous_secret_expires_at: null,
      created_at: sub.created_at,
      updated_at: sub.created_at,
    });
    const list = await api('/v1/webhook-subscriptions?limit=100');
    expect(list.body.data.webhook_subscriptions.map((s: Json) => s.id)).toContain(sub.id);
    for (const r of [one, list, await api(`/v1/webhook-subscriptions/${sub.id}/deliveries`)]) {
      expect(JSON.stringify(r.body)).not.toContain(sub.secret);
      expect(JSON.stringify(r.body)).not.toContain('"secret"');
    }
  });

  it('accepts https to a public host, and http to loopback where ALLOW_HTTP_LOOPBACK=true', async () => {
    for (const url of ['https://hooks.acme.com/in?x=1', 'http://127.0.0.1:9/in', 'http://localhost:9/in']) {
      const r = await api('/v1/webhook-subscriptions', {
        method: 'POST',
        body: { url, events: ['sync.failed'] },
      });
      expect(r.status, `${url}: ${JSON.stringify(r.body)}`).toBe(201);
      await api(`/v1/webhook-subscriptions/${r.body.data.id}`, { method: 'DELETE' });
    }
  });

  it('pages the list, deletes once, and keeps other tenants out (404)', async () => {
    const t = await newTenant('outbound-list');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await subscribe(`https://hooks.acme.com/${i}`, ['sync.completed'], t.key)).id);
    const p1 = await api('/v1/webhook-subscriptions?limit=2', { key: t.key });
    expect(p1.body.data.webhook_subscriptions).toHaveLength(2);
    const p2 = await api(
      `/v1/webhook-subscriptions?limit=2&cursor=${encodeURIComponent(p1.body.data.next_cursor)}`,
      { key: t.key },
    );
    expect(p2.body.data.next_cursor).toBeNull();
    expect(
      [...p1.body.data.webhook_subscriptions, ...p2.body.data.webhook_subscriptions].map((s: Json) => s.id),
    ).toEqual(ids);

    // Another tenant (the harness's) sees none of them and can touch none of them.
    const theirs = ids[0] as string;
    expectError(await api(`/v1/webhook-subscriptions/${theirs}`), 404, 'not_found');
    expectError(await api(`/v1/webhook-subscriptions/${theirs}/deliveries`), 404, 'not_found');
    expectError(await api(`/v1/webhook-subscriptions/${theirs}`, { method: 'DELETE' }), 404, 'not_found');
    const mine = (await api('/v1/webhook-subscriptions?limit=100')).body.data.webhook_subscriptions.map(
      (s: Json) => s.id,
    );
    expect(mine.filter((id: string) => ids.includes(id))).toEqual([]);
    expect((await api(`/v1/webhook-subscriptions/${theirs}`, { key: t.key })).status).toBe(200);

    const del = await api(`/v1/webhook-subscriptions/${theirs}`, { method: 'DELETE', key: t.key });
    expect(del.body.data).toEqual({ id: theirs, deleted: true });
    expectError(await api(`/v1/webhook-subscriptions/${theirs}`, { key: t.key }), 404, 'not_found');
    expectError(
      await api(`/v1/webhook-subscriptions/${theirs}`, { method: 'DELETE', key: t.key }),
      404,
      'not_found',
    );
  });

  it('caps a tenant at 20 subscriptions', async () => {
    const t = await newTenant('outbound-cap');
    for (let i = 0; i < 20; i++) {
      const r = await api('/v1/webhook-subscriptions', {
        method: 'POST',
        key: t.key,
        body: { url: `https://hooks.acme.com/${i}`, events: ['sync.completed'] },
      });
      expect(r.status).toBe(201);
    }
    const over = await api('/v1/webhook-subscriptions', {
      method: 'POST',
      key: t.key,
      body: { url: 'https://hooks.acme.com/21', events: ['sync.completed'] },
    });
    expectError(over, 422, 'validation_failed');
  });
});
