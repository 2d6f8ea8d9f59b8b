import { awsJson, clientRequestToken } from '../platform/aws-call';
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

/** Creates the secret; answers the version it created (stored on the integration as `secret_version`). */
export const createIntegrationSecret = async (
  name: string,
  values: IntegrationSecretValues,
): Promise<string | undefined> => {
  const r = await awsJson<{ VersionId?: string }>('secretsmanager', 'CreateSecret', {
    Name: name,
    ClientRequestToken: clientRequestToken(),
    Description: 'Provider credentials of one integration',
    SecretString: JSON.stringify(clean(values)),
  });
  return r.VersionId;
};

/** Writes a new version; answers its id (stored on the integration as `secret_version`). */
export const putIntegrationSecret = async (
  name: string,
  values: IntegrationSecretValues,
): Promise<string | undefined> => {
  const r = await awsJson<{ VersionId?: string }>('secretsmanager', 'PutSecretValue', {
    SecretId: name,
    ClientRequestToken: clientRequestToken(),
    SecretString: JSON.stringify(clean(values)),
  });
  return r.VersionId;
};

export const readIntegrationSecret = async (name: string): Promise<IntegrationSecretValues> => {
  const r = await awsJson<{ SecretString?: string }>('secretsmanager', 'GetSecretValue', { SecretId: name });
  return JSON.parse(r.SecretString ?? '{}') as IntegrationSecretValues;
};

/**
 * Deletes with Secrets Manager's 7-day recovery window: a mistaken deletion can be
 * undone by an operator, and the name can't clash because it carries the integration id.
 */
export const deleteIntegrationSecret = async (name: string, { force = false } = {}): Promise<void> => {
  try {
    await awsJson('secretsmanager', 'DeleteSecret', {
      SecretId: name,
      ...(force ? { ForceDeleteWithoutRecovery: true } : { RecoveryWindowInDays: 7 }),
    });
  } catch (e) {
    if ((e as Error).name !== 'ResourceNotFoundException') throw e;
  }
};

/**
 * How long a container keeps an integration's secret values while the integration item
 * still names the version they were read for. Secrets Manager answers 10,000
 * GetSecretValue a second per account; at webhook peaks (20,000/s over thousands of
 * containers) a 30 s cache meets that quota, this one doesn't. Secrets Manager stays the
 * root of trust: the values only ever come from it, and a PATCH of the integration writes a
 * new version whose id goes on the integration item, so every reader sees the change on
 * its next read of that item (within the receiver's 30 s item cache). The TTL bounds what
 * the version check cannot see: an operator changing the secret in Secrets Manager itself.
 */
export const SECRET_CACHE_MS = 15 * 60_000;
/** An integration written before `secret_version` existed has no version to check: short-lived. */
const UNVERSIONED_CACHE_MS = 30_000;

type CachedSecret = { version: string | undefined; at: number; values: Promise<IntegrationSecretValues> };
const secretCache = new Map<string, CachedSecret>();
const cacheStats = { hits: 0, reads: 0 };
/** What the cache saved this container: `reads` are GetSecretValue calls made. */
export const secretCacheStats = (): Readonly<typeof cacheStats> => ({ ...cacheStats });

/**
 * The integration's secrets, for flows that call the provider (app JWTs, token exchange)
 * and the webhook receiver: cached per container against the version the integration item
 * names (SECRET_CACHE_MS), concurrent readers sharing one read.
 */
export const integrationSecrets = async (i: {
  secret_name?: string;
  secret_version?: string;
}): Promise<IntegrationSecretValues> => {
  if (!i.secret_name) return {};
  const name = i.secret_name;
  const hit = secretCache.get(name);
  const ttl = i.secret_version ? SECRET_CACHE_MS : UNVERSIONED_CACHE_MS;
  if (hit && hit.version === i.secret_version && Date.now() - hit.at < ttl) {
    cacheStats.hits++;
    return hit.values;
  }
  cacheStats.reads++;
  const values = readIntegrationSecret(name);
  const entry: CachedSecret = { version: i.secret_version, at: Date.now(), values };
  secretCache.set(name, entry);
  // A failed read is not kept: the next caller tries again.
  values.catch(() => {
    if (secretCache.get(name) === entry) secretCache.delete(name);
  });
  return values;
};
