import type { Context, ScheduledEvent } from 'aws-lambda';
import { flushMetrics } from '../../core/platform/metrics';
import { drainDeadLetters, sweepStalled } from '../../core/syncs/recovery';
import { fanOutTick } from '../../core/syncs/scheduler';
import { logger } from '../middleware/logger';

/**
 * EventBridge, every minute: first ends the runs no worker will finish (dead-lettered and
 * stalled ones, core/syncs/recovery.ts) so their syncs are free, then fans out: one message
 * per schedule shard to the scheduler-shard queue, whose worker (scheduler-shard.ts) queues
 * that shard's due, unpaused syncs once. A failing recovery step is logged and the tick goes
 * on: queueing the due syncs matters most.
 */
export const handler = async (
  event: ScheduledEvent,
  context: Context,
): Promise<{ shards: number; failed: number; dead_lettered: number; stalled: number }> => {
  logger.addContext(context);
  const parsed = event.time ? new Date(event.time) : new Date();
  const now = Number.isNaN(parsed.getTime()) ? new Date() : parsed;
  try {
    const dead = await drainDeadLetters().catch((e: Error) => {
      logger.error('sync dead letters not drained', { error: e.message });
      return { ended: 0 };
    });
    const stalled = await sweepStalled(now).catch((e: Error) => {
      logger.error('stalled sync runs not swept', { error: e.message });
      return { ended: 0 };
    });
    const r = { ...(await fanOutTick(now)), dead_lettered: dead.ended, stalled: stalled.ended };
    logger.info('scheduler tick', { at: now.toISOString(), ...r });
    return r;
  } finally {
    flushMetrics();
  }
};
