import type { SQSRecord } from 'aws-lambda';
import { handler } from '../../functions/workers/sync-worker';
import { lambdaContext } from '../../local/lambda-context';

/**
 * The sync worker in a process of its own, for test/integration/sync-heal.test.ts to kill
 * mid-run (a Lambda that crashed or timed out): invoked with the SQS record in argv[2], as
 * the event source would.
 */
const record = JSON.parse(process.argv[2] as string) as SQSRecord;
await handler(
  { Records: [record] },
  lambdaContext('sync-worker', Number(process.env.CHILD_TIMEOUT_MS ?? 10_000)),
);
