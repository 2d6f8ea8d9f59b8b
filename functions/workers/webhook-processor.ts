import { ApiError } from '../../core/platform/errors';
import { webhookEventMessage } from '../../core/webhooks/message';
import { keepEvent, processWebhookEvent } from '../../core/webhooks/process';
import { logger } from '../middleware/logger';
import { sqsBatchHandler } from './sqs-batch';

/**
 * SQS → applies verified provider events to the records of their connection(s). A
 * failure of ours (DynamoDB, SQS) is retried by the queue, then dead-lettered; a refusal
 * that no retry can change (a connection no longer active, a sync that can't run) is kept
 * in the webhook events log as `failed`.
 */
export const handler = sqsBatchHandler(webhookEventMessage, async (msg) => {
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
