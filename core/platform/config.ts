import {
  type BucketName,
  buckets,
  deadLetterQueueEnv,
  type QueueName,
  queues,
  type SecretName,
  secrets,
  type TableName,
  tables,
} from './resources';

/**
 * Configuration comes from the environment, read where it is first needed and cached,
 * and a missing variable fails loudly: a misconfigured function should not half-work.
 */
const required = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`Missing required environment variable ${name}`);
  }
  return value;
};

export const tableName = (t: TableName): string => required(tables[t].env);
export const queueUrl = (q: QueueName): string => required(queues[q].env);
export const deadLetterQueueUrl = (q: QueueName): string => required(deadLetterQueueEnv(queues[q]));
export const bucketName = (b: BucketName): string => required(buckets[b].env);
export const secretId = (s: SecretName): string => required(secrets[s].env);

/** Public base URL of the webhook function URL; integrations answer `webhook_url` under it. */
export const webhookBaseUrl = (): string => required('WEBHOOK_BASE_URL');

/** The API versions this build serves, newest last. Absent header means the newest. */
export const apiVersions = ['2026-11-01'] as const;
export const latestApiVersion = apiVersions[apiVersions.length - 1] as string;

/** Public base URL of the HTTP API; the OAuth callback is `${this}/v1/oauth/callback`. */
export const publicApiUrl = (): string => required('PUBLIC_API_URL').replace(/\/$/, '');
export const oauthCallbackUrl = (): string => `${publicApiUrl()}/v1/oauth/callback`;
