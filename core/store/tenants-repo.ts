import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';

export type TenantSettings = {
  redirect_url_allowlist: string[];
  default_sync_frequency: string;
};
export type TenantItem = {
  tenant_id: string;
  name: string;
  created_at: string;
  /** `test` tenants hold only sk_test_ keys, `live` ones only sk_live_ keys; absent: live. */
  mode?: 'live' | 'test';
  settings?: Partial<TenantSettings>;
  /** Set by an operator (admin CLI), not by the tenant: requests a minute per key. */
  rate_limit_per_minute?: number;
  /** Set by an operator: requests a minute for the whole tenant, every key and end-user token together. */
  tenant_rate_limit_per_minute?: number;
};
export type KeyItem = {
  key_id: string;
  tenant_id: string;
  mode: 'live' | 'test';
  last4: string;
  created_at: string;
  revoked_at?: string;
};
export type KeyLookup = { tenant_id: string; key_id: string; revoked_at?: string };

const tenantPk = (t: string) => `TENANT#${t}`;
const hashPk = (hash: string) => `KEYHASH#${hash}`;

export const putTenant = async (tenant: TenantItem): Promise<void> => {
  await dynamo().send(
    new PutCommand({
      TableName: tableName('state'),
      Item: { pk: tenantPk(tenant.tenant_id), sk: 'TENANT', ...tenant },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
};

export const getTenant = async (tenantId: string): Promise<TenantItem | undefined> => {
  const r = await dynamo().send(
    new GetCommand({ TableName: tableName('state'), Key: { pk: tenantPk(tenantId), sk: 'TENANT' } }),
  );
  if (!r.Item) return undefined;
  const { tenant_id, name, created_at, mode, settings, rate_limit_per_minute, tenant_rate_limit_per_minute } =
    r.Item as TenantItem;
  return {
    tenant_id,
    name,
    created_at,
    mode: mode ?? 'live',
    ...(settings ? { settings } : {}),
    ...(rate_limit_per_minute ? { rate_limit_per_minute } : {}),
    ...(tenant_rate_limit_per_minute ? { tenant_rate_limit_per_minute } : {}),
  };
};

/** Replaces the tenant's settings; the tenant must exist. */
export const putSettings = async (tenantId: string, settings: TenantSettings): Promise<void> => {
  await dynamo().send(
    new UpdateCommand({
      TableName: tableName('state'),
      Key: { pk: tenantPk(tenantId), sk: 'TENANT' },
      UpdateExpression: 'SET settings = :s',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':s': settings },
    }),
  );
};

export const setRateLimit = async (
  tenantId: string,
  perMinute: number,
  scope: 'key' | 'tenant' = 'key',
): Promise<void> => {
  const attribute = scope === 'key' ? 'rate_limit_per_minute' : 'tenant_rate_limit_per_minute';
  await dynamo().send(
    new UpdateCommand({
      TableName: tableName('state'),
      Key: { pk: tenantPk(tenantId), sk: 'TENANT' },
      UpdateExpression: `SET ${attribute} = :n`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':n': perMinute },
    }),
  );
};

/** Writes the listing item and the auth lookup item together, or neither. */
export const putKey = async (key: KeyItem, hash: string): Promise<void> => {
  await dynamo().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName('state'),
            Item: {
              pk: tenantPk(key.tenant_id),
              sk: `KEY#${key.key_id}`,
              gsi1pk: `KEY#${key.key_id}`,
              gsi1sk: 'KEY',
              hash,
              ...key,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: tableName('state'),
            Item: { pk: hashPk(hash), sk: 'KEYHASH', tenant_id: key.tenant_id, key_id: key.key_id },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    }),
  );
};

export const getKeyByHash = async (hash: string): Promise<KeyLookup | undefined> => {
  const r = await dynamo().send(
    new GetCommand({
      TableName: tableName('state'),
      Key: { pk: hashPk(hash), sk: 'KEYHASH' },
      ConsistentRead: true,
    }),
  );
  return r.Item as KeyLookup | undefined;
};

/** One key of a tenant, by id (its revocation state for the end-user tokens it minted). */
export const getKey = async (tenantId: string, keyId: string): Promise<KeyItem | undefined> => {
  const r = await dynamo().send(
    new GetCommand({ TableName: tableName('state'), Key: { pk: tenantPk(tenantId), sk: `KEY#${keyId}` } }),
  );
  if (!r.Item) return undefined;
  const { key_id, tenant_id, mode, last4, created_at, revoked_at } = r.Item as KeyItem;
  return { key_id, tenant_id, mode, last4, created_at, ...(revoked_at ? { revoked_at } : {}) };
};

export const listKeys = async (tenantId: string): Promise<KeyItem[]> => {
  const items: KeyItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await dynamo().send(
      new QueryCommand({
        TableName: tableName('state'),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': tenantPk(tenantId), ':sk': 'KEY#' },
        ExclusiveStartKey: start,
      }),
    );
    for (const i of r.Items ?? []) {
      const { key_id, tenant_id, mode, last4, created_at, revoked_at } = i as KeyItem;
      items.push({ key_id, tenant_id, mode, last4, created_at, ...(revoked_at ? { revoked_at } : {}) });
    }
    start = r.LastEvaluatedKey;
  } while (start);
  return items;
};

/** Finds a key by id across tenants (admin only), through the sparse gsi1. */
export const findKeyById = async (keyId: string): Promise<(KeyItem & { hash: string }) | undefined> => {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName('state'),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :k',
      ExpressionAttributeValues: { ':k': `KEY#${keyId}` },
    }),
  );
  return r.Items?.[0] as (KeyItem & { hash: string }) | undefined;
};

export const revokeKey = async (key: KeyItem & { hash: string }, at: string): Promise<void> => {
  await dynamo().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: tableName('state'),
            Key: { pk: tenantPk(key.tenant_id), sk: `KEY#${key.key_id}` },
            UpdateExpression: 'SET revoked_at = :at',
            ExpressionAttributeValues: { ':at': at },
          },
        },
        {
          Update: {
            TableName: tableName('state'),
            Key: { pk: hashPk(key.hash), sk: 'KEYHASH' },
            UpdateExpression: 'SET revoked_at = :at',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':at': at },
          },
        },
      ],
    }),
  );
};
