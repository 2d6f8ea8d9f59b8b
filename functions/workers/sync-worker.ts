import * as z from 'zod/mini';
import { runSync } from '../../core/sync';
import { logger } from '../middleware/logger';
import { sqsBatchHandler } from './sqs-batch';

const message = z.object({
  tenant_id: z.string().check(z.minLength(1)),
  connection_id: z.string().check(z.minLength(1)),
  sync: z.string().check(z.minLength(1)),
  run_id: z.string().check(z.minLength(1)),
});

/** SQS → one sync run per message. */
export const handler = sqsBatchHandler(message, async (msg) => {
  const outcome = await runSync(msg);
  logger.info('sync message handled', { connection_id: msg.connection_id, sync: msg.sync, outcome });
});
