import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { dynamo } from './aws';
import { awsJson } from './aws-call';
import { queueUrl, secretId, tableName } from './config';
import { ApiError } from './errors';

export type CheckState = 'ok' | 'error';
export type Checks = Record<
  'dynamodb' | 'sqs' | 'secrets_manager',
  { status: CheckState; latency_ms: number }
>;

const TIMEOUT_MS = 2_000;

// Each probe is the cheapest read that proves the dependency answers *and* that this
// function may use it; a hung dependency counts as down after TIMEOUT_MS.
const probe = async (fn: () => Promise<unknown>): Promise<{ status: CheckState; latency_ms: number }> => {
  const started = performance.now();
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => timeout.addEventListener('abort', () => reject(new Error('timeout')))),
    ]);
    return { status: 'ok', latency_ms: Math.round(performance.now() - started) };
  } catch {
    return { status: 'error', latency_ms: Math.round(performance.now() - started) };
  }
};

export const checkReadiness = async (): Promise<Checks> => {
  const [dynamodb, sqs, secrets_manager] = await Promise.all([
    probe(() => dynamo().send(new DescribeTableCommand({ TableName: tableName('state') }))),
    probe(() =>
      awsJson('sqs', 'GetQueueAttributes', {
        QueueUrl: queueUrl('sync'),
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    ),
    probe(() => awsJson('secretsmanager', 'DescribeSecret', { SecretId: secretId('dataKey') })),
  ]);
  return { dynamodb, sqs, secrets_manager };
};

/** Throws `service_unavailable` naming each dependency's state unless all answer. */
export const assertReady = async (): Promise<{ status: 'ok'; checks: Checks }> => {
  const checks = await checkReadiness();
  if (Object.values(checks).some((c) => c.status !== 'ok')) {
    throw new ApiError('service_unavailable', 'A dependency is not answering.', {
      details: { checks },
      remediation: 'Retry shortly; if it persists, check the named dependency.',
    });
  }
  return { status: 'ok', checks };
};
