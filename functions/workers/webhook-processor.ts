import * as z from 'zod/mini';
import { ApiError } from '../../core/platform/errors';
import { keepEvent, processWebhookEvent } from '../../core/webhooks/process';
import { logger } from '../middleware/logger';
import { sqsBatchHandler } from './sqs-batch';

const message = z.object({
  tenant_id: z.string().check(z.minLength(1)),
  integration_key: z.string().check(z.minLength(1)),
  integration_id: z.string().check(z.minLength(1)),
  delivery_id: z.string().check(z.minLength(1)),
  event_type: z.string(),
  received_at: z.string(),
  body: z.string(),
  // Only the sender was authenticated (core/webhooks/receive.ts): the body is a hint to sync.
  hint_only: z.optional(z.literal(true)),
});

/**
 * SQS → applies verified provider events to the records of their connection(s). A
 * failure of ours (DynamoDB, SQS) is retried by the queue, then dead-lettered; a refusal
 * that no retry can change (a connection no longer active, a sync that can't run) is kept
 * in the webhook events log as `failed`.
 */
export const handler = sqsBatchHandler(message, async (msg) => {
  try {
    const r = await processWebhookEvent(msg);
    logger.info('webhook event handled', {
      integration: msg.integration_key,
      event_type: msg.event_type,
      outcome: r.outcome,
      connections: r.connections.length,
    });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    await keepEvent(msg, 'failed', e.message);
    logger.warn('webhook event kept as failed', { integration: msg.integration_key, code: e.code });
  }
});
