import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { meterClient } from './meter-hook';

/**
 * The Secrets Manager client, a module singleton created on first use. Its own module (as
 * sqs.ts is) because esbuild places a module's code in one chunk: beside the DynamoDB client
 * in aws.ts, Secrets Manager (13 KB minified) was loaded at cold start by every handler, even
 * those that only reach it through a module imported on demand (the end-user token verifier).
 */
let sm: SecretsManagerClient | undefined;

export const secretsClient = (): SecretsManagerClient => {
  if (!sm) {
    sm = new SecretsManagerClient({});
    meterClient('secretsmanager', sm);
  }
  return sm;
};
