import { count } from '../../core/platform/metrics';
import { schedulerShardMessage } from '../../core/syncs/message';
import { queueShard } from '../../core/syncs/scheduler';
import { logger } from '../middleware/logger';
import { sqsBatchHandler } from './sqs-batch';

/**
 * SQS (the scheduler-shard queue) → queues the due syncs of one schedule shard, as of the
 * tick that sent the message (core/syncs/scheduler.ts `queueShard`). The EventBridge tick
 * sends one message per shard a minute; this worker's concurrency (functions/workers.ts)
 * sets how many shards are worked at once. A shard with failures throws, so the queue hands
 * the message back: claims are conditional, so a retry queues only what is still due.
 */
export const handler = sqsBatchHandler(schedulerShardMessage, async (msg) => {
  const r = await queueShard(msg.shard, new Date(msg.at));
  if (r.queued) count('ScheduledSyncs', { outcome: 'queued' }, r.queued);
  const line = { shard: msg.shard, at: msg.at, ...r };
  if (r.failed) {
    logger.error('scheduler shard failed in part', line);
    throw new Error(`${r.failed} due syncs of shard ${msg.shard} failed`);
  }
  if (r.due) logger.info('syncs due', line);
});
