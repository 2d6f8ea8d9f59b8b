import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { meterClient } from './meter-hook';

/**
 * The SDK's Secrets Manager client, for tests and tooling only: the service's own calls go
 * through core/platform/aws-call.ts, which saves its 13 KB in nearly every API handler.
 */
let sm: SecretsManagerClient | undefined;

export const secretsClient = (): SecretsManagerClient => {
  if (!sm) {
    sm = new SecretsManagerClient({});
    meterClient('secretsmanager', sm);
  }
  return sm;
};
