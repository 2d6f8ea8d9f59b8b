import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { z } from 'zod/mini';
import { flushMetrics } from '../../core/platform/metrics';
import { withTrace } from '../../core/platform/trace';
import { logger } from '../middleware/logger';

const processor = new BatchProcessor(EventType.SQS);

/**
 * An SQS handler that parses each message with its zod schema and reports failures per
 * message (`batchItemFailures`): one bad message is retried, then dead-lettered, alone.
 */
export const sqsBatchHandler =
  <S extends z.ZodMiniType, B = undefined>(
    schema: S,
    fn: (msg: z.infer<S>, record: SQSRecord, context: Context, batch: B) => Promise<void>,
    options: {
      /**
       * What the batch's messages share, made afresh for each invocation: reads made once a
       * batch instead of once a message (the webhook processor's integration and routes, the
       * outbound worker's subscriptions). Nothing of it outlives the invocation.
       */
      batch?: () => B;
      /**
       * After the batch: writes the messages' work gathered rather than made one by one (the
       * webhook processor's record counts). Its failure is logged, not thrown: the messages
       * are done, and failing the batch would only apply them again.
       */
      afterBatch?: () => Promise<void>;
    } = {},
  ) =>
  async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    logger.addContext(context);
    const { afterBatch } = options;
    const batch = options.batch?.() as B;
    try {
      return await processPartialResponse(
        event,
        async (record: SQSRecord) => {
          let body: unknown;
          try {
            body = JSON.parse(record.body);
          } catch {
            logger.error('message is not JSON', { message_id: record.messageId });
            throw new Error('message is not JSON');
          }
          const parsed = schema.safeParse(body);
          if (!parsed.success) {
            logger.error('message does not match its schema', {
              message_id: record.messageId,
              issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code })),
            });
            throw new Error('message does not match its schema');
          }
          // The producer's request id (core/platform/trace.ts): this message's work, and what
          // it queues in turn, logs under it. A message sent outside any request has its own id.
          const trace = record.messageAttributes?.request_id?.stringValue ?? record.messageId;
          await withTrace(trace, () => fn(parsed.data as z.infer<S>, record, context, batch));
        },
        processor,
        { context, throwOnFullBatchFailure: false },
      );
    } finally {
      if (afterBatch) {
        await afterBatch().catch((e: Error) =>
          logger.error('after-batch write failed', { error: e.message }),
        );
      }
      // What the batch counted (core/platform/metrics.ts): one EMF line per dimension set.
      flushMetrics();
    }
  };
