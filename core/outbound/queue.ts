import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { deadLetterQueueUrl, queueUrl } from '../platform/config';
import { sqsClient } from '../platform/sqs';
import { traceAttributes } from '../platform/trace';
import type { OutboundMessage } from './events';

/** SQS takes 1 MiB a message and 1 MiB a batch. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** SQS delays a message at most this long; longer waits are re-sent until due. */
export const MAX_DELAY_SECONDS = 900;

const delayOf = (seconds: number) => Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(seconds)));

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

export const sendOutboundOne = async (message: OutboundMessage, delaySeconds: number): Promise<void> => {
  await sqsClient().send(
    new SendMessageCommand({
      QueueUrl: queueUrl('outbound'),
      MessageBody: JSON.stringify(message),
      DelaySeconds: delayOf(delaySeconds),
      ...traceAttributes(),
    }),
  );
};

/** A delivery given up on: kept in the DLQ (14 days) for inspection or a redrive. */
export const sendToDeadLetter = async (message: OutboundMessage): Promise<void> => {
  await sqsClient().send(
    new SendMessageCommand({
      QueueUrl: deadLetterQueueUrl('outbound'),
      MessageBody: JSON.stringify(message),
    }),
  );
};
