import { handleDelivery, type SubscriptionMemo } from '../../core/outbound/deliver';
import { outboundMessage } from '../../core/outbound/events';
import { count } from '../../core/platform/metrics';
import { traceId } from '../../core/platform/trace';
import { logger } from '../middleware/logger';
import { sqsBatchHandler } from './sqs-batch';

/**
 * SQS → one outbound webhook delivery attempt per message (core/outbound/deliver.ts).
 * A failed attempt is not a failed message: its retry is a new, delayed message, so this
 * message is done. Only the worker's own failures (DynamoDB, SQS) are batch item
 * failures, redelivered and, after the queue's max receives, dead-lettered by the redrive.
 * The log line names the attempt, never the payload or the secret.
 */
export const handler = sqsBatchHandler(
  outboundMessage,
  // The batch's deliveries share their subscription reads (`SubscriptionMemo`).
  async (msg, _record, _context, subscriptions) => {
    const outcome = await handleDelivery(msg, subscriptions);
    const attempt = 'attempt' in outcome ? outcome.attempt : undefined;
    count('OutboundDeliveries', { outcome: outcome.kind });
    logger.info('outbound delivery handled', {
      request_id: traceId(),
      subscription_id: msg.subscription_id,
      event_id: msg.event.id,
      event: msg.event.type,
      attempt: msg.attempt,
      outcome: outcome.kind,
      ...(attempt
        ? {
            response_status: attempt.response_status,
            error: attempt.error,
            next_attempt_at: attempt.next_attempt_at,
          }
        : {}),
      ...(outcome.kind === 'dropped' ? { reason: outcome.reason } : {}),
    });
  },
  { batch: (): SubscriptionMemo => new Map() },
);
