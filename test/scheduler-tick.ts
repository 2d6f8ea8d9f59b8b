import { randomBytes } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { vi } from 'vitest';
import { queues } from '../core/platform/resources';
import { logger } from '../functions/middleware/logger';
import { handler as scheduler } from '../functions/workers/scheduler';
import { handler as shardWorker } from '../functions/workers/scheduler-shard';
import { lambdaContext } from '../local/lambda-context';
import { scheduledEvent } from '../local/scheduler-timer';
import { sqsRecord } from './sqs-record';

/**
 * The scheduler as deployed, for one test file: the EventBridge tick (functions/workers/
 * scheduler.ts) sends its shard messages to a queue of this file's own, and each is handed
 * to the shard worker (functions/workers/scheduler-shard.ts) as its event source would, one
 * message an invocation, `concurrency` at once. A file's own queue: another file's tick
 * messages are not worked here. What the shard workers did is summed from their `syncs due`
 * log lines.
 */
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
let own: Promise<string> | undefined;
const ownQueue = () => {
  own ??= sqs
    .send(new CreateQueueCommand({ QueueName: `shards-${randomBytes(4).toString('hex')}` }))
    .then((r) => r.QueueUrl as string);
  return own;
};

/** Deletes the file's shard queue (afterAll). */
export const dropShardQueue = async (): Promise<void> => {
  if (own) await sqs.send(new DeleteQueueCommand({ QueueUrl: await own }));
  own = undefined;
};

const record = (m: Message) =>
  sqsRecord(m.Body as string, {
    id: m.MessageId as string,
    receiptHandle: m.ReceiptHandle as string,
    queue: 'integrations-SchedulerShardQueue',
  });

/** Receives everything on the queue (`expected` messages, or until it stays empty). */
export const receiveAll = async (url: string, expected: number): Promise<Message[]> => {
  const got: Message[] = [];
  for (let empty = 0; got.length < expected && empty < 3; ) {
    const r = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (r.Messages?.length) got.push(...r.Messages);
    else empty++;
  }
  return got;
};

/** The logger's lines from now on; a test's own spy on it is read, not replaced. */
const watch = (level: 'info' | 'error') => {
  const mine = !vi.isMockFunction(logger[level]);
  const spy = mine ? vi.spyOn(logger, level) : (logger[level] as unknown as ReturnType<typeof vi.spyOn>);
  const from = spy.mock.calls.length;
  return {
    calls: () => spy.mock.calls.slice(from) as unknown[][],
    done: () => {
      if (mine) spy.mockRestore();
    },
  };
};

export type ShardTotals = { due: number; queued: number; skipped: number; failed: number; left: number };

/** Runs the shard worker on the messages, `concurrency` at once; what it reported, summed. */
export const workShards = async (url: string, messages: readonly Message[], concurrency = 8) => {
  const info = watch('info');
  const error = watch('error');
  let next = 0;
  let retried = 0;
  try {
    const lane = async () => {
      while (next < messages.length) {
        const m = messages[next++] as Message;
        const r = await shardWorker({ Records: [record(m)] }, lambdaContext('scheduler-shard', 60_000));
        retried += r.batchItemFailures.length;
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: url,
            Entries: [{ Id: '0', ReceiptHandle: m.ReceiptHandle }],
          }),
        );
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    const totals: ShardTotals = { due: 0, queued: 0, skipped: 0, failed: 0, left: 0 };
    for (const [msg, line] of [...info.calls(), ...error.calls()] as [string, ShardTotals][]) {
      if (msg !== 'syncs due' && msg !== 'scheduler shard failed in part') continue;
      for (const k of Object.keys(totals) as (keyof ShardTotals)[]) totals[k] += line[k];
    }
    return { ...totals, retried };
  } finally {
    info.done();
    error.done();
  }
};

/** One tick at `now`, then every shard it fanned out to, worked. */
export const tickThroughShards = async (now: Date, concurrency = 8) => {
  const url = await ownQueue();
  const before = process.env[queues.schedulerShard.env];
  process.env[queues.schedulerShard.env] = url;
  try {
    const tick = await scheduler(scheduledEvent(now), lambdaContext('scheduler', 60_000));
    const shards = await workShards(url, await receiveAll(url, tick.shards), concurrency);
    return { ...tick, ...shards };
  } finally {
    if (before === undefined) delete process.env[queues.schedulerShard.env];
    else process.env[queues.schedulerShard.env] = before;
  }
};

export const shardQueueUrl = ownQueue;
