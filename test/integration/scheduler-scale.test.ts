import { createHash, randomBytes } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { InitializeHandler, InitializeHandlerArguments } from '@smithy/types';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dynamo } from '../../core/platform/aws';
import { tableName } from '../../core/platform/config';
import { queues } from '../../core/platform/resources';
import { sqsClient } from '../../core/platform/sqs';
import { getRun } from '../../core/store/runs-repo';
import { SCHEDULE_SHARDS } from '../../core/store/schedule-repo';
import { getSync, shardOf } from '../../core/store/syncs-repo';
import { fanOutTick, queueShard } from '../../core/syncs/scheduler';
import { seedDueSyncs } from '../scheduler-seed';
import { dropShardQueue, receiveAll, shardQueueUrl, workShards } from '../scheduler-tick';
import { newTenant } from './harness';

/**
 * The scheduler fans out (core/syncs/scheduler.ts): the tick sends one message per shard,
 * and shard workers claim each due sync with one conditional write from its index item.
 * Concurrency must not queue a sync twice — not two workers on one shard, not two ticks
 * that overlap; a paused sync, a sync whose connection is not active and one whose run is
 * still running are not queued; syncs written under the old 16 shards are still found. Its
 * own sync and shard queues, and ticks in 1971 and 1990 with syncs due in 1970 and 1980, so
 * no other test file's syncs are queued here (nor ours there).
 */
const N = 300;
const TICK = new Date('1990-06-01T00:00:00Z');
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
let queueUrl: string;
let before: string | undefined;
let tenantId: string;
const seeded: { connection_id: string; sync: string }[] = [];
const due: { connection_id: string; sync: string }[] = [];
const notQueued: Record<string, { connection_id: string; sync: string }[]> = {};
const legacyShard = (c: string) => `SHARD#${(createHash('sha256').update(c).digest()[0] as number) % 16}`;

const messages = async () =>
  Number(
    (
      await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      )
    ).Attributes?.ApproximateNumberOfMessages ?? 'NaN',
  );

/** Requests by command name, on the clients the scheduler uses. */
const requests = new Map<string, number>();
const counting = ((next: InitializeHandler<object, object>, context: { commandName?: string }) =>
  async (args: InitializeHandlerArguments<object>) => {
    const name = context.commandName ?? '?';
    requests.set(name, (requests.get(name) ?? 0) + 1);
    return next(args);
  }) as never;

beforeAll(async () => {
  queueUrl = (
    await sqs.send(new CreateQueueCommand({ QueueName: `sched-${randomBytes(4).toString('hex')}` }))
  ).QueueUrl as string;
  before = process.env[queues.sync.env];
  process.env[queues.sync.env] = queueUrl;
  process.env[queues.schedulerShard.env] = await shardQueueUrl();
  tenantId = (await newTenant('sched-scale')).tenantId;
  const at = '1980-01-01T00:00:00.000Z';
  // Due, and to be queued: most on the 256 shards, some still on the old 16.
  due.push(...(await seedDueSyncs(tenantId, N - 40, at)));
  due.push(...(await seedDueSyncs(tenantId, 40, at, { shard: legacyShard })));
  // Due, and not to be queued.
  notQueued.expired = await seedDueSyncs(tenantId, 5, at, { connection: { status: 'expired' } });
  notQueued.deleted = await seedDueSyncs(tenantId, 5, at, { connection: null });
  notQueued.running = await seedDueSyncs(tenantId, 5, at, {
    sync: { status: 'running', current_run_id: 'run_still_going' },
  });
  // Paused after the index was read: still in it (the pause takes a sync out of it).
  notQueued.paused = await seedDueSyncs(tenantId, 5, at, { sync: { paused: true } });
  seeded.push(...due, ...Object.values(notQueued).flat());
  dynamo().middlewareStack.add(counting, { step: 'initialize', name: 'countSchedulerRequests' });
  sqsClient().middlewareStack.add(counting, { step: 'initialize', name: 'countSchedulerRequests' });
}, 120_000);
afterAll(async () => {
  dynamo().middlewareStack.remove('countSchedulerRequests');
  sqsClient().middlewareStack.remove('countSchedulerRequests');
  // Out of the schedule index, so no later tick of any file finds them.
  for (const s of seeded) {
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName('state'),
        Key: { pk: `TENANT#${tenantId}`, sk: `SYNC#${s.connection_id}#${s.sync}` },
        UpdateExpression: 'REMOVE schedule_shard, next_run_at',
      }),
    );
  }
  if (before === undefined) delete process.env[queues.sync.env];
  else process.env[queues.sync.env] = before;
  delete process.env[queues.schedulerShard.env];
  await dropShardQueue();
  await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  sqs.destroy();
});

it('a shard worker out of budget queues nothing and leaves its due syncs due', async () => {
  const shard = Number(shardOf(due[0]?.connection_id as string).slice('SHARD#'.length));
  const r = await queueShard(shard, TICK, { budgetMs: 0 });
  expect(r).toMatchObject({ queued: 0, failed: 0 });
  expect(r.due).toBeGreaterThan(0);
  expect(r.left).toBe(r.due);
  expect((await queueShard(shard, TICK, { budgetMs: 0, perShard: 1 })).due).toBe(1);
  // A message naming no shard fails (and is dead-lettered), not read as an empty shard.
  await expect(queueShard(SCHEDULE_SHARDS, TICK)).rejects.toThrow(/no schedule shard 256/);
});

it('queues a sync in about one round trip: one conditional write each, the rest in batches', async () => {
  // 100 syncs in one shard, due in 1970: the 1971 tick finds only them.
  const n = 100;
  const one = await seedDueSyncs(tenantId, n, '1970-01-01T00:00:00.000Z', { shard: () => 'SHARD#7' });
  seeded.push(...one);
  requests.clear();
  const r = await queueShard(7, new Date('1971-01-01T00:00:00Z'));
  expect(r).toMatchObject({ due: n, queued: n, skipped: 0, failed: 0, left: 0 });
  // The one-function tick spent six per sync: GetItem, UpdateItem, GetItem, PutItem, UpdateItem, SendMessage.
  expect(Object.fromEntries(requests)).toEqual({
    QueryCommand: 1,
    BatchGetItemCommand: n / 25,
    UpdateItemCommand: n,
    BatchWriteItemCommand: n / 25,
    SendMessageBatchCommand: Math.ceil(25 / 10) * (n / 25),
  });
  const total = [...requests.values()].reduce((a, b) => a + b, 0);
  expect(total / n).toBeLessThan(1.25);
  // Each claim moved the sync to its own of the 256 shards.
  const s = await getSync(tenantId, one[0]?.connection_id as string, 'issues');
  expect(s?.schedule_shard).toBe(shardOf(one[0]?.connection_id as string));
  expect(await messages()).toBe(n);
});

it('two overlapping ticks, their shard workers side by side, queue every due sync exactly once', {
  timeout: 300_000,
}, async () => {
  const url = await shardQueueUrl();
  const already = await messages();
  requests.clear();
  const [a, b] = await Promise.all([fanOutTick(TICK), fanOutTick(TICK)]);
  expect([a, b]).toEqual([
    { shards: SCHEDULE_SHARDS, failed: 0 },
    { shards: SCHEDULE_SHARDS, failed: 0 },
  ]);
  // 256 messages a tick, 10 a call.
  expect(requests.get('SendMessageBatchCommand')).toBe(2 * Math.ceil(SCHEDULE_SHARDS / 10));
  const ticks = await receiveAll(url, 2 * SCHEDULE_SHARDS);
  expect(ticks).toHaveLength(2 * SCHEDULE_SHARDS);
  // Both ticks' messages, shuffled, 16 shard workers at once: each shard is worked twice,
  // often at the same time.
  ticks.sort(() => Math.random() - 0.5);
  const r = await workShards(url, ticks, 16);
  expect(r).toMatchObject({ queued: N, failed: 0, retried: 0, left: 0 });
  expect(await messages()).toBe(already + N);
  const states = await Promise.all(due.map((s) => getSync(tenantId, s.connection_id, s.sync)));
  expect(states.filter((s) => s?.status === 'queued' && s.current_run_id)).toHaveLength(N);
  // Its run is written, scheduled, and the old-shard syncs moved to their 256-shard home.
  const run = await getRun(tenantId, states[0]?.current_run_id as string);
  expect(run).toMatchObject({ trigger: 'schedule', status: 'queued', provider: 'github' });
  expect(states.every((s) => s?.schedule_shard === shardOf(s?.connection_id as string))).toBe(true);

  // Not queued: no run, and (but the paused one) the next run moved on, so the next tick
  // doesn't read them again.
  for (const [why, list] of Object.entries(notQueued)) {
    for (const s of list) {
      const state = await getSync(tenantId, s.connection_id, s.sync);
      expect({ why, run: state?.current_run_id }).toEqual({
        why,
        run: why === 'running' ? 'run_still_going' : undefined,
      });
      if (why !== 'paused') expect(state?.next_run_at && state.next_run_at > TICK.toISOString()).toBe(true);
    }
  }

  // Each moved to its next run: a third tick finds none of them due.
  const again = await Promise.all(
    Array.from({ length: SCHEDULE_SHARDS }, (_, shard) => queueShard(shard, TICK)),
  );
  expect(again.reduce((n, x) => n + x.queued, 0)).toBe(0);
  expect(await messages()).toBe(already + N);
});
