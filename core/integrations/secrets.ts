import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
} from '@aws-sdk/client-secrets-manager';
import { secretsClient } from '../platform/aws';
import { integrationSecretPrefix } from '../platform/resources';

/** The secret parts of an integration; each kept only in Secrets Manager. */
export type IntegrationSecretValues = {
  oauth_client_secret?: string;
  webhook_secret?: string;
  app_private_key?: string;
};

export const secretNameFor = (tenantId: string, uniqueKey: string, integrationId: string) =>
  `${integrationSecretPrefix}${tenantId}/${uniqueKey}/${integrationId}`;

const clean = (v: IntegrationSecretValues): IntegrationSecretValues =>
  Object.fromEntries(
    Object.entries(v).filter(([, x]) => typeof x === 'string' && x !== ''),
  ) as IntegrationSecretValues;

export const createIntegrationSecret = async (
  name: string,
  values: IntegrationSecretValues,
): Promise<void> => {
  await secretsClient().send(
    new CreateSecretCommand({
      Name: name,
      SecretString: JSON.stringify(clean(values)),
      Description: 'Provider credentials of one integration',
    }),
  );
};

export const putIntegrationSecret = async (name: string, values: IntegrationSecretValues): Promise<void> => {
  await secretsClient().send(
    new PutSecretValueCommand({ SecretId: name, SecretString: JSON.stringify(clean(values)) }),
  );
};

export const readIntegrationSecret = async (name: string): Promise<IntegrationSecretValues> => {
  const r = await secretsClient().send(new GetSecretValueCommand({ SecretId: name }));
  return JSON.parse(r.SecretString ?? '{}') as IntegrationSecretValues;
};

/**
 * Deletes with Secrets Manager's 7-day recovery window: a mistaken deletion can be
 * undone by an operator, and the name can't clash because it carries the integration id.
 */
export const deleteIntegrationSecret = async (name: string, { force = false } = {}): Promise<void> => {
  try {
    await secretsClient().send(
      new DeleteSecretCommand({
        SecretId: name,
        ...(force ? { ForceDeleteWithoutRecovery: true } : { RecoveryWindowInDays: 7 }),
      }),
    );
  } catch (e) {
    if ((e as Error).name !== 'ResourceNotFoundException') throw e;
  }
};

/** The integration's secrets, for flows that call the provider (app JWTs, token exchange). */
export const integrationSecrets = async (i: { secret_name?: string }): Promise<IntegrationSecretValues> =>
  i.secret_name ? readIntegrationSecret(i.secret_name) : {};
