import { queues } from '../../core/platform/resources';
import { traceId } from '../../core/platform/trace';
import { runSyncMessage } from '../../core/syncs/engine';
import { syncMessage } from '../../core/syncs/message';
import { handBack } from '../../core/syncs/worker-queue';
import { logger } from '../middleware/logger';
import { sqsBatchHandler } from './sqs-batch';

/**
 * SQS → one sync run per message. A transient failure hands the message back with a
 * visibility delay (never a sleep in the Lambda) and reports it as a batch item failure: it
 * spends one of the queue's receives. A rate limit does not: the engine queues a fresh,
 * delayed message and this one is acknowledged. After the queue's max receives (crashes,
 * timeouts, failures) the message goes to the DLQ, and the scheduler ends its run `error`
 * (core/syncs/recovery.ts).
 */
export const handler = sqsBatchHandler(syncMessage, async (msg, record, context) => {
  const attempt = Number(record.attributes.ApproximateReceiveCount ?? '1');
  const outcome = await runSyncMessage(msg, {
    remainingMs: () => context.getRemainingTimeInMillis(),
    attempt,
    lastAttempt: attempt >= queues.sync.maxReceiveCount,
  });
  logger.info('sync message handled', {
    request_id: traceId(),
    connection_id: msg.connection_id,
    sync: msg.sync,
    run_id: msg.run_id,
    // The receive this was: 1 for every fresh message, more only after a failure or crash.
    attempt,
    ...outcome,
  });
  if (outcome.kind === 'retry') {
    await handBack(record.receiptHandle, outcome.delaySeconds);
    throw new Error(`retry in ${outcome.delaySeconds}s: ${outcome.reason}`);
  }
});
