import { handler } from '../../functions/workers/import-worker';
import { lambdaContext } from '../../local/lambda-context';

/**
 * The import worker in a process of its own, for test/integration/import-resume.test.ts to
 * kill mid-file: invoked with one SQS record whose body is argv[2], as the event source would.
 */
const body = process.argv[2] as string;
await handler(
  {
    Records: [
      {
        messageId: 'kill-me',
        receiptHandle: 'kill-me',
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(Date.now()),
          SenderId: 'test',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:ImportQueue',
        awsRegion: 'us-east-1',
      },
    ],
  },
  lambdaContext('import-worker', Number(process.env.CHILD_TIMEOUT_MS ?? 10_000)),
);
