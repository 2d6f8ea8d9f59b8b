import type { Context, ScheduledEvent } from 'aws-lambda';
import { findDueSyncs } from '../../core/scheduler';
import { logger } from '../middleware/logger';

/** EventBridge, every minute: finds the syncs that are due. */
export const handler = async (event: ScheduledEvent, context: Context): Promise<{ due: number }> => {
  logger.addContext(context);
  const now = event.time ? new Date(event.time) : new Date();
  const due = await findDueSyncs(Number.isNaN(now.getTime()) ? new Date() : now);
  if (due.length === 0) logger.info('no syncs due', { at: now.toISOString() });
  else logger.info('syncs due', { count: due.length });
  return { due: due.length };
};
