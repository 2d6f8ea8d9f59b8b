import {
  ChangeMessageVisibilityCommand,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
} from '@aws-sdk/client-sqs';
import { queueUrl } from '../platform/config';
import { sqsClient } from '../platform/sqs';
import { traceAttributes } from '../platform/trace';
import type { SyncMessage } from './message';

/**
 * The sync queue operations only workers make — the scheduler's batches, the sync worker's
 * hand-back — through the SDK's SQS client (one way per operation: core/platform/aws-call.ts
 * says which). Apart from queue.ts so that trigger-sync and the connect flows, which queue
 * one run, do not bundle the SQS client.
 */

/**
 * Sends messages to a queue 10 a SendMessageBatch (its limit). Entries SQS failed are sent
 * once more, then counted: the caller decides what a message that never left means.
 */
export const sendBatches = async (
  url: string,
  bodies: readonly string[],
  extra: Omit<SendMessageBatchRequestEntry, 'Id' | 'MessageBody'> = {},
): Promise<{ failed: number[] }> => {
  const failed: number[] = [];
  await Promise.all(
    Array.from({ length: Math.ceil(bodies.length / 10) }, async (_, c) => {
      let entries = bodies
        .slice(c * 10, c * 10 + 10)
        .map((MessageBody, i) => ({ Id: String(c * 10 + i), MessageBody, ...extra }));
      for (let attempt = 0; attempt < 2 && entries.length; attempt++) {
        const r = await sqsClient().send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
        const retry = new Set((r.Failed ?? []).map((f) => f.Id));
        entries = entries.filter((e) => retry.has(e.Id));
      }
      failed.push(...entries.map((e) => Number(e.Id)));
    }),
  );
  return { failed };
};

/** Sync messages, 10 a call: the scheduler's shard worker queues its shard's due runs at once. */
export const enqueueSyncs = async (msgs: readonly SyncMessage[]): Promise<{ failed: number[] }> =>
  sendBatches(
    queueUrl('sync'),
    msgs.map((m) => JSON.stringify(m)),
    traceAttributes(),
  );

/**
 * Hands a received sync message back to the queue, visible again after `delaySeconds`
 * (SQS caps a visibility timeout at 12 hours).
 */
export const handBack = async (receiptHandle: string, delaySeconds: number): Promise<void> => {
  await sqsClient().send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: queueUrl('sync'),
      ReceiptHandle: receiptHandle,
      VisibilityTimeout: Math.min(43_200, delaySeconds),
    }),
  );
};
