import { randomUUID } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';

/**
 * One SQS record as the Lambda event source hands it to a worker, for calling a worker's
 * handler directly in a test (the local poller, local/sqs-poller.ts, builds them from real
 * receives). `queue` names the event source; `receiptHandle` defaults to one per message.
 */
export const sqsRecord = (
  body: string,
  options: { id?: string; receiptHandle?: string; queue?: string } = {},
): SQSRecord => {
  const id = options.id ?? randomUUID();
  return {
    messageId: id,
    receiptHandle: options.receiptHandle ?? `rh-${id}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${options.queue ?? 'integrations-TestQueue'}`,
    awsRegion: 'us-east-1',
  };
};
