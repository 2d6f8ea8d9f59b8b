import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deadLetterQueueEnv, queues } from '../../core/platform/resources';
import { leaseHolder } from '../../core/store/lease-repo';
import { getSync, updateSync } from '../../core/store/syncs-repo';
import { STALL_AFTER_MS } from '../../core/syncs/recovery';
import { logger } from '../../functions/middleware/logger';
import { pollQueue } from '../../local/sqs-poller';
import { type GitHubFake, startGitHubFake } from '../fakes/github';
import { dropShardQueue, tickThroughShards } from '../scheduler-tick';
import { call, type Harness, type Json, startHarness } from './harness';

/**
 * Syncs that heal themselves, through the real sync worker, the real scheduler and the local
 * SQS (fauxqs), against the fake GitHub:
 * - rate-limit waits are fresh delayed messages, so they never spend the queue's receives;
 * - a run whose worker crashes on every receive reaches the DLQ, and the next tick ends it
 *   `error` (worker_failed) and queues the sync again;
 * - a run with no sign of life for twice the visibility timeout is swept (`stalled`).
 *
 * This file has a sync queue and DLQ of its own (SYNC_QUEUE_URL / SYNC_QUEUE_DLQ_URL of this
 * test process), with the real redrive policy (maxReceiveCount from core/platform/resources.ts) but
 * a 2-second visibility timeout, so a crashed invocation's message comes back in seconds
 * rather than 30 minutes. Ticks are fired at a time in the past (TICK), and the syncs under
 * test are made due / silent before it, so no other test file's syncs are queued or swept.
 */
const ISSUES = 230; // 3 pages of 100
const TICK = new Date('2020-01-01T00:00:00Z');
const LONG_AGO = '2019-06-01T00:00:00.000Z';
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
let h: Harness;
let fake: GitHubFake;
let queueUrl: string;
let dlqUrl: string;

const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  call(h.gateway.url, path, {
    key: h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
const runOf = async (id: string): Promise<Json> => (await api(`/v1/sync-runs/${id}`)).body.data;
// The EventBridge tick, then the shard workers it fans out to (test/scheduler-tick.ts).
const tick = () => tickThroughShards(TICK);
const visible = async (url: string) =>
  Number(
    (
      await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      )
    ).Attributes?.ApproximateNumberOfMessages ?? 'NaN',
  );

/** A connection whose only enabled sync is `issues`, and a run of it triggered by the API. */
const connectAndTrigger = async (user: string) => {
  const c = await api('/v1/connections', {
    method: 'POST',
    body: { integration: 'gh-heal', end_user_id: user, credentials: fake.valid },
  });
  const id = c.body.data.id as string;
  for (const s of ['pull_requests', 'repositories']) {
    await api(`/v1/connections/${id}/syncs/${s}`, { method: 'PATCH', body: { paused: true } });
  }
  const r = await api('/v1/syncs/trigger', {
    method: 'POST',
    body: { connection_id: id, syncs: ['issues'], mode: 'full' },
  });
  expect(r.status).toBe(202);
  return { id, runId: r.body.data.runs[0].id as string };
};

/** Runs the queue through the real worker (the local event source) until the run is finished. */
const workUntilFinished = async (runId: string) => {
  const poller = pollQueue({
    sqs,
    queueUrl,
    handler: 'functions/workers/sync-worker.ts',
    batchSize: 1,
    timeoutMs: 300_000,
  });
  try {
    let run: Json;
    for (const deadline = Date.now() + 90_000; Date.now() < deadline; ) {
      run = await runOf(runId);
      if (run.status === 'success' || run.status === 'error') return run;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`run ${runId} never finished: ${JSON.stringify(run)}`);
  } finally {
    await poller.stop();
  }
};

const receive = async (waitSeconds: number): Promise<Message | undefined> =>
  (
    await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 1,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    )
  ).Messages?.[0];

/** The record the Lambda event source would hand over for `m`. */
const recordOf = (m: Message): SQSRecord => ({
  messageId: m.MessageId as string,
  receiptHandle: m.ReceiptHandle as string,
  body: m.Body ?? '',
  attributes: {
    ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
    SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
    SenderId: 'local',
    ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
  },
  messageAttributes: {},
  md5OfBody: m.MD5OfBody ?? '',
  eventSource: 'aws:sqs',
  eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${queueUrl.split('/').pop()}`,
  awsRegion: 'us-east-1',
});

beforeAll(async () => {
  const name = `heal-${randomBytes(4).toString('hex')}`;
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  dlqUrl = dlq.QueueUrl as string;
  const dlqArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes?.QueueArn;
  const main = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: '2',
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqArn,
          maxReceiveCount: queues.sync.maxReceiveCount,
        }),
      },
    }),
  );
  queueUrl = main.QueueUrl as string;
  process.env[queues.sync.env] = queueUrl;
  process.env[deadLetterQueueEnv(queues.sync)] = dlqUrl;

  h = await startHarness();
  fake = await startGitHubFake();
  fake.seedIssues(ISSUES, { repo: 'acme/heal' });
  await api('/v1/integrations', {
    method: 'POST',
    body: { unique_key: 'gh-heal', provider: 'github', endpoints: { api_base_url: fake.apiBaseUrl } },
  });
});
afterAll(async () => {
  await dropShardQueue();
  await h.stop();
  await fake.stop();
  await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  await sqs.send(new DeleteQueueCommand({ QueueUrl: dlqUrl }));
  sqs.destroy();
});

describe('syncs that heal themselves', () => {
  it('8 rate limits in a row: each a fresh delayed message received once, then every record', {
    timeout: 120_000,
  }, async () => {
    const { runId } = await connectAndTrigger('u_limits');
    const handled = vi.spyOn(logger, 'info');
    fake.rateLimitNext(8, 1);
    const run = await workUntilFinished(runId);
    const mine = handled.mock.calls
      .filter(([m, f]) => m === 'sync message handled' && (f as Json)?.run_id === runId)
      .map(([, f]) => f as Json);
    handled.mockRestore();

    expect(run).toMatchObject({ status: 'success', records: { added: ISSUES }, error: null });
    const waits = mine.filter((f) => f.kind === 'waiting');
    expect(waits).toHaveLength(8);
    for (const w of waits) {
      expect(w.reason).toBe('provider rate limit');
      // GitHub's primary limit: until `x-ratelimit-reset`, a second away in whole seconds.
      expect(w.delaySeconds).toBeGreaterThanOrEqual(1);
      expect(w.delaySeconds).toBeLessThanOrEqual(2);
    }
    // Every message was received once: the waits spent none of the queue's retry budget.
    expect(mine.length).toBeGreaterThan(8);
    expect(mine.map((f) => f.attempt)).toEqual(mine.map(() => 1));
    expect(await visible(dlqUrl)).toBe(0);
    // And the feed holds every record, once.
    const ids = new Set<string>();
    let cursor = '';
    for (let page = 0; page < 10; page++) {
      const r = await api(
        `/v1/records?connection_id=${run.connection_id}&model=work_item&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      );
      for (const rec of r.body.data.records as Json[]) ids.add(rec.id);
      cursor = r.body.data.next_cursor;
      if (!r.body.data.has_more) break;
    }
    expect(ids.size).toBe(ISSUES);
  });

  it('5 crashes: the message is dead-lettered, the tick ends the run `error` and queues the sync again', {
    timeout: 180_000,
  }, async () => {
    const { id, runId } = await connectAndTrigger('u_crash');
    const lease = `sync:${id}:issues`;
    for (let attempt = 1; attempt <= queues.sync.maxReceiveCount; attempt++) {
      const m = await receive(10);
      expect(m, `receive ${attempt}`).toBeDefined();
      expect(JSON.parse(m?.Body ?? '{}').run_id).toBe(runId);
      expect(m?.Attributes?.ApproximateReceiveCount).toBe(String(attempt));
      // The provider hangs on the worker's next request: it is mid-run when it dies.
      const before = fake.requests.length;
      fake.stallNext(1);
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(import.meta.dirname, 'sync-worker-child.ts'),
          JSON.stringify(recordOf(m as Message)),
        ],
        { env: { ...process.env, CHILD_TIMEOUT_MS: '3000', POWERTOOLS_LOG_LEVEL: 'ERROR' }, stdio: 'ignore' },
      );
      const exited = new Promise((r) => child.once('exit', r));
      await vi.waitFor(() => expect(fake.requests.length).toBeGreaterThan(before), {
        timeout: 60_000,
        interval: 50,
      });
      child.kill('SIGKILL');
      await exited;
      // Its lease lapses by itself (the invocation's length), as a dead Lambda's does.
      await vi.waitFor(async () => expect(await leaseHolder(h.tenantId, lease)).toBeUndefined(), {
        timeout: 10_000,
        interval: 200,
      });
    }
    // The sixth receive moves it to the DLQ: the run is left `running`, and nothing ends it.
    expect(await receive(4)).toBeUndefined();
    expect(await visible(dlqUrl)).toBe(1);
    expect((await runOf(runId)).status).toBe('running');
    const stuck = await api('/v1/syncs/trigger', {
      method: 'POST',
      body: { connection_id: id, syncs: ['issues'] },
    });
    expect(stuck.body.data.runs[0]).toMatchObject({ id: runId, status: 'running' });

    // The sync's next run is due (time passes) and the scheduler ticks.
    await updateSync(h.tenantId, id, 'issues', { next_run_at: LONG_AGO });
    const r = await tick();
    expect(r.dead_lettered).toBe(1);
    const failed = await runOf(runId);
    expect(failed.status).toBe('error');
    expect(failed.error).toBe(
      `worker_failed: the worker failed all ${queues.sync.maxReceiveCount} attempts at this run (it crashed, timed out or failed each time)`,
    );
    expect(failed.finished_at).toEqual(expect.any(String));
    expect(await visible(dlqUrl)).toBe(0);
    const conn = (await api(`/v1/connections/${id}`)).body.data;
    expect(conn.sync_status).toBe('failed');

    // The same tick queued the sync again, as a new scheduled run, and that one succeeds.
    const runs = (await api(`/v1/sync-runs?connection_id=${id}&sync=issues`)).body.data.sync_runs as Json[];
    const next = runs.find((x) => x.id !== runId);
    expect(next).toMatchObject({ trigger: 'schedule', status: 'queued' });
    expect(await workUntilFinished(next.id)).toMatchObject({ status: 'success', records: { added: ISSUES } });
    expect((await api(`/v1/connections/${id}`)).body.data.sync_status).toBe('healthy');
  });

  it('a run with no sign of life for twice the visibility timeout is swept, and the sync is free again', {
    timeout: 120_000,
  }, async () => {
    const { id, runId } = await connectAndTrigger('u_stall');
    // Its message is lost (taken and never handled), and an hour and more goes by.
    const m = await receive(10);
    expect(JSON.parse(m?.Body ?? '{}').run_id).toBe(runId);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m?.ReceiptHandle }));
    const s = await getSync(h.tenantId, id, 'issues');
    expect(s).toMatchObject({ current_run_id: runId, status: 'queued', run_shard: expect.any(String) });
    // Silent since, but not yet for twice the visibility timeout: left alone.
    const recent = new Date(TICK.getTime() - STALL_AFTER_MS + 60_000).toISOString();
    await updateSync(h.tenantId, id, 'issues', { heartbeat_at: recent });
    await tick();
    expect((await runOf(runId)).status).toBe('queued');

    await updateSync(h.tenantId, id, 'issues', { heartbeat_at: LONG_AGO });
    await tick();
    const swept = await runOf(runId);
    expect(swept).toMatchObject({
      status: 'error',
      error: 'stalled: the run showed no progress for 60 minutes',
    });
    const after = await getSync(h.tenantId, id, 'issues');
    expect(after?.status).toBe('error');
    expect(after?.current_run_id).toBeUndefined();
    expect(after?.run_shard).toBeUndefined();

    // Free: a trigger queues a new run (not the swept one), and it succeeds.
    const again = await api('/v1/syncs/trigger', {
      method: 'POST',
      body: { connection_id: id, syncs: ['issues'] },
    });
    const next = again.body.data.runs[0];
    expect(next.id).not.toBe(runId);
    expect(next.status).toBe('queued');
    expect(await workUntilFinished(next.id)).toMatchObject({ status: 'success' });
  });
});
