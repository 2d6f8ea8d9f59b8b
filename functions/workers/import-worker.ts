import { importMessage } from '../../core/imports/message';
import { handBackImport } from '../../core/imports/queue';
import { importTargets, runImport } from '../../core/imports/worker';
import { queues } from '../../core/platform/resources';
import { logger } from '../middleware/logger';
import { sqsBatchHandler } from './sqs-batch';

/**
 * SQS → CSV imports: S3 "object created" events of the imports bucket, and continuations of
 * imports longer than one invocation. A transient failure hands the message back with a
 * backoff; after the queue's last receive the import ends `error`.
 */
export const handler = sqsBatchHandler(importMessage, async (msg, record, context) => {
  const attempt = Number(record.attributes.ApproximateReceiveCount ?? '1');
  for (const target of importTargets(msg)) {
    let outcome: Awaited<ReturnType<typeof runImport>>;
    try {
      outcome = await runImport(target, {
        remainingMs: () => context.getRemainingTimeInMillis(),
        lastAttempt: attempt >= queues.import.maxReceiveCount,
      });
    } catch (e) {
      outcome = {
        kind: 'retry',
        delaySeconds: Math.min(900, 10 * 2 ** (attempt - 1)),
        reason: `transient failure (${(e as Error).name}: ${String((e as Error).message).slice(0, 200)})`,
      };
    }
    logger.info('import message handled', {
      tenant_id: target.tenantId,
      import_id: target.importId,
      ...outcome,
    });
    if (outcome.kind === 'retry') {
      await handBackImport(record.receiptHandle, outcome.delaySeconds);
      throw new Error(`retry in ${outcome.delaySeconds}s: ${outcome.reason}`);
    }
  }
});
