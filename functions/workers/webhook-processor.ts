import { count } from '../../core/platform/metrics';
import { traceId } from '../../core/platform/trace';
import { webhookEventMessage } from '../../core/webhooks/message';
import { flushRecordCounts, newBatchMemo, processWebhookEvent } from '../../core/webhooks/process';
import { logger } from '../middleware/logger';
import { sqsBatchHandler } from './sqs-batch';

/**
 * SQS → applies verified provider events to the records of their connection(s), once per
 * delivery id (core/webhooks/process.ts claims it first): a redelivered copy is dropped
 * and logged as `duplicate`. A failure of ours (DynamoDB, SQS) is retried by the queue,
 * then dead-lettered; a refusal that no retry can change (a connection no longer active,
 * a sync that can't run) is kept in the webhook events log as `failed`.
 */
export const handler = sqsBatchHandler(
  webhookEventMessage,
  // The batch's events share their integration and route reads (`newBatchMemo`).
  async (msg, _record, _context, memo) => {
    const r = await processWebhookEvent(msg, memo);
    const line = {
      request_id: traceId(),
      integration: msg.integration_key,
      delivery_id: msg.delivery_id,
      event_type: msg.event_type,
      outcome: r.outcome,
      connections: r.connections.length,
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.tookOver ? { took_over: true } : {}),
    };
    count('WebhookEvents', { provider: msg.provider ?? 'unknown', outcome: r.outcome });
    if (r.outcome === 'failed') logger.warn('webhook event kept as failed', line);
    else logger.info('webhook event handled', line);
  },
  { batch: newBatchMemo, afterBatch: flushRecordCounts },
);
