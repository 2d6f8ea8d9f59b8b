import * as z from 'zod/mini';
import { getIntegrationForEvent } from '../../core/webhook-events';
import { logger } from '../middleware/logger';
import { sqsBatchHandler } from './sqs-batch';

const message = z.object({
  tenant_id: z.string().check(z.minLength(1)),
  integration_key: z.string().check(z.minLength(1)),
  delivery_id: z.string().check(z.minLength(1)),
  received_at: z.string(),
  body: z.string(),
});

/** SQS → applies verified provider events to the records of their connection(s). */
export const handler = sqsBatchHandler(message, async (msg) => {
  const outcome = await getIntegrationForEvent(msg);
  logger.info('webhook event handled', { integration: msg.integration_key, outcome });
});
