import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import { awsJson } from '../platform/aws-call';
import { queueUrl } from '../platform/config';
import { sqsClient } from '../platform/sqs';
import type { ImportContinuation } from './message';

/** Queues the rest of an import for the next invocation (Lambda's 15-minute limit). */
export const enqueueContinuation = async (msg: ImportContinuation, delaySeconds = 0): Promise<void> => {
  await awsJson('sqs', 'SendMessage', {
    QueueUrl: queueUrl('import'),
    MessageBody: JSON.stringify(msg),
    ...(delaySeconds ? { DelaySeconds: Math.min(900, Math.max(0, Math.round(delaySeconds))) } : {}),
  });
};

/** Hands a received message back, visible again after `delaySeconds` (never a sleep in the Lambda). */
export const handBackImport = async (receiptHandle: string, delaySeconds: number): Promise<void> => {
  await sqsClient().send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: queueUrl('import'),
      ReceiptHandle: receiptHandle,
      VisibilityTimeout: Math.min(43_200, delaySeconds),
    }),
  );
};
