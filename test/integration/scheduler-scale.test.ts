import { randomBytes } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dynamo } from '../../core/platform/aws';
import { tableName } from '../../core/platform/config';
import { queues } from '../../core/platform/resources';
import { SCHEDULE_SHARDS } from '../../core/store/schedule-repo';
import { getSync } from '../../core/store/syncs-repo';
import { queueDueSyncs } from '../../core/syncs/scheduler';
import { seedDueSyncs } from '../scheduler-seed';
import { newTenant } from './harness';

/**
 * A tick queues due syncs many at a time (core/syncs/scheduler.ts): one after another it was
 * ~1,400 a minute against the 50,000 a minute the design scenario makes due. Concurrency must
 * not queue a sync twice — not within a tick, not across two ticks that overlap — and a tick
 * out of budget leaves the rest due for the next one. Its own sync queue, and a tick in 1990
 * with syncs due in 1980, so no other test file's syncs are queued here (nor ours there).
 */
const N = 400;
const TICK = new Date('1990-06-01T00:00:00Z');
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
let queueUrl: string;
let before: string | undefined;
let tenantId: string;
const seeded: { connection_id: string; sync: string }[] = [];

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

beforeAll(async () => {
  queueUrl = (
    await sqs.send(new CreateQueueCommand({ QueueName: `sched-${randomBytes(4).toString('hex')}` }))
  ).QueueUrl as string;
  before = process.env[queues.sync.env];
  process.env[queues.sync.env] = queueUrl;
  tenantId = (await newTenant('sched-scale')).tenantId;
  seeded.push(...(await seedDueSyncs(tenantId, N, '1980-01-01T00:00:00.000Z')));
}, 120_000);
afterAll(async () => {
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
  await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  sqs.destroy();
});

it('a tick out of budget queues nothing and leaves every due sync due', async () => {
  const r = await queueDueSyncs(TICK, { budgetMs: 0 });
  expect(r).toMatchObject({ queued: 0, failed: 0 });
  expect(r.due).toBe(N);
  expect(r.left).toBe(N);
});

it('reads a shard a page at a time, up to its share', async () => {
  const r = await queueDueSyncs(TICK, { budgetMs: 0, perShard: 3 });
  expect(r.due).toBeLessThanOrEqual(3 * SCHEDULE_SHARDS);
  expect(r.due).toBeGreaterThan(3 * 8); // 400 syncs hashed over 16 shards: most have 3+
});

it('two overlapping ticks, 64 syncs at a time each, queue every due sync exactly once', {
  timeout: 300_000,
}, async () => {
  const [a, b] = await Promise.all([queueDueSyncs(TICK), queueDueSyncs(TICK)]);
  expect(a.failed + b.failed).toBe(0);
  expect(a.queued + b.queued).toBe(N);
  expect(await messages()).toBe(N);
  const states = await Promise.all(seeded.map((s) => getSync(tenantId, s.connection_id, s.sync)));
  expect(states.filter((s) => s?.status === 'queued' && s.current_run_id)).toHaveLength(N);
  // Each moved to its next run: a third tick finds none of them due.
  const again = await queueDueSyncs(TICK);
  expect(again.queued).toBe(0);
  expect(await messages()).toBe(N);
});
