import { SQSClient } from '@aws-sdk/client-sqs';
import { meterClient } from './meter-hook';

/**
 * The SQS client, a module singleton created on first use. Its own module because esbuild
 * places a module's code in one chunk: beside the DynamoDB client, SQS (≈ 23 KB) was loaded at cold start by every handler that might emit
 * an outbound event, even though the queue is imported only when a subscriber listens.
 */
let sqs: SQSClient | undefined;

// fauxqs answers queue URLs on sqs.<region>.localhost, which does not resolve here;
// without the queue URL as endpoint the standard endpoint variable wins (harmless on AWS).
export const sqsClient = (): SQSClient => {
  if (!sqs) {
    sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
    // The capacity bench's request meter, only with CAPACITY_LOG set (meter-hook.ts).
    meterClient('sqs', sqs);
  }
  return sqs;
};
