import type { Context, ScheduledEvent } from 'aws-lambda';
import { queueDueSyncs } from '../../core/syncs/scheduler';
import { logger } from '../middleware/logger';

/** EventBridge, every minute: queues every due, unpaused sync once. */
export const handler = async (
  event: ScheduledEvent,
  context: Context,
): Promise<{ due: number; queued: number }> => {
  logger.addContext(context);
  const parsed = event.time ? new Date(event.time) : new Date();
  const now = Number.isNaN(parsed.getTime()) ? new Date() : parsed;
  const r = await queueDueSyncs(now);
  if (r.due === 0) logger.info('no syncs due', { at: now.toISOString() });
  else logger.info('syncs due', { ...r });
  return r;
};
