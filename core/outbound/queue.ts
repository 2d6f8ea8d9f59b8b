import { awsJson } from '../platform/aws-call';
import { deadLetterQueueUrl, queueUrl } from '../platform/config';
import { traceAttributes } from '../platform/trace';
import type { OutboundMessage } from './events';

/** SQS delays a message at most this long; longer waits are re-sent until due. */
export const MAX_DELAY_SECONDS = 900;

export const delayOf = (seconds: number) => Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(seconds)));

export const sendOutboundOne = async (message: OutboundMessage, delaySeconds: number): Promise<void> => {
  await awsJson('sqs', 'SendMessage', {
    QueueUrl: queueUrl('outbound'),
    MessageBody: JSON.stringify(message),
    DelaySeconds: delayOf(delaySeconds),
    ...traceAttributes(),
  });
};

/** A delivery given up on: kept in the DLQ (14 days) for inspection or a redrive. */
export const sendToDeadLetter = async (message: OutboundMessage): Promise<void> => {
  await awsJson('sqs', 'SendMessage', {
    QueueUrl: deadLetterQueueUrl('outbound'),
    MessageBody: JSON.stringify(message),
  });
};
