import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { queueUrl } from '../platform/config';
import { sqsClient } from '../platform/sqs';
import { traceAttributes } from '../platform/trace';
import type { OutboundMessage } from './events';
import { delayOf } from './queue';

/**
 * SendMessageBatch of outbound deliveries, through the SDK's SQS client (one way per
 * operation, core/platform/aws-call.ts says which). A module apart from queue.ts so the
 * handlers that send one delivery (test, retry) do not bundle the SQS client: this one is
 * loaded only by emit.ts, on demand, when a subscriber listens.
 */

/** SQS takes 1 MiB a message and 1 MiB a batch. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * Queues delivery messages, each with its own delay, ten (or 1 MiB) a batch. Entries SQS
 * refused are sent once more; returns the messages that still failed, for the caller to
 * report.
 */
export const sendOutbound = async (
  messages: readonly { message: OutboundMessage; delaySeconds: number }[],
): Promise<OutboundMessage[]> => {
  type Entry = { message: OutboundMessage; body: string; delaySeconds: number };
  const batches: Entry[][] = [];
  let batch: Entry[] = [];
  let bytes = 0;
  for (const { message, delaySeconds } of messages) {
    const body = JSON.stringify(message);
    const size = Buffer.byteLength(body, 'utf8');
    if (batch.length === 10 || (batch.length > 0 && bytes + size > MAX_MESSAGE_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push({ message, body, delaySeconds });
    bytes += size;
  }
  if (batch.length) batches.push(batch);

  const failed: OutboundMessage[] = [];
  for (const b of batches) {
    let entries = b.map((e, i) => ({
      Id: String(i),
      MessageBody: e.body,
      DelaySeconds: delayOf(e.delaySeconds),
      ...traceAttributes(),
    }));
    for (let round = 0; round < 2 && entries.length > 0; round++) {
      const r = await sqsClient().send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl('outbound'), Entries: entries }),
      );
      const refused = new Set((r.Failed ?? []).map((f) => f.Id));
      entries = entries.filter((e) => refused.has(e.Id));
    }
    for (const e of entries) failed.push((b[Number(e.Id)] as Entry).message);
  }
  return failed;
};
