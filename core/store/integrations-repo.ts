import { DeleteCommand, GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';
import { type Key, queryPage } from './query-page';

export type IntegrationEndpoints = {
  api_base_url?: string | undefined;
  authorization_url?: string | undefined;
  token_url?: string | undefined;
};

export type IntegrationItem = {
  tenant_id: string;
  integration_id: string;
  unique_key: string;
  provider: string;
  display_name: string;
  oauth_client_id?: string;
  scopes?: string[];
  app?: { app_id: string; slug?: string };
  endpoints?: IntegrationEndpoints;
  has_oauth_client_secret: boolean;
  has_webhook_secret: boolean;
  has_app_private_key: boolean;
  /** Secrets Manager secret holding the secret parts, when there are any. */
  secret_name?: string;
  /**
   * The Secrets Manager version our last write of it created: readers cache the secret's
   * value for as long as this stays the same (core/integrations/secrets.ts).
   */
  secret_version?: string;
  /**
   * Every connection of it has its webhook route items (connections-repo routing_keys):
   * events are routed through them. Set at creation, or by `admin -- reindex-routes` for an
   * integration created before the index; without it the processor lists the connections.
   */
  routes_indexed?: boolean;
  connection_count: number;
  created_at: string;
  updated_at: string;
};

const pk = (t: string) => `TENANT#${t}`;
const sk = (key: string) => `INTEGRATION#${key}`;

const strip = (item: Record<string, unknown>): IntegrationItem => {
  const { pk: _p, sk: _s, ...rest } = item;
  return rest as IntegrationItem;
};

export const getIntegration = async (tenantId: string, key: string): Promise<IntegrationItem | undefined> => {
  const r = await dynamo().send(
    new GetCommand({
      TableName: tableName('state'),
      Key: { pk: pk(tenantId), sk: sk(key) },
      ConsistentRead: true,
    }),
  );
  return r.Item ? strip(r.Item) : undefined;
};

/** Every integration of every tenant, page by page (`admin -- reindex-routes`). */
export async function* scanIntegrations(): AsyncGenerator<IntegrationItem[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const r = await dynamo().send(
      new ScanCommand({
        TableName: tableName('state'),
        FilterExpression: 'begins_with(sk, :i)',
        ExpressionAttributeValues: { ':i': 'INTEGRATION#' },
        ExclusiveStartKey: start,
      }),
    );
    yield (r.Items ?? []).map(strip);
    start = r.LastEvaluatedKey;
  } while (start);
}

export const markRoutesIndexed = async (tenantId: string, key: string): Promise<void> => {
  await dynamo()
    .send(
      new UpdateCommand({
        TableName: tableName('state'),
        Key: { pk: pk(tenantId), sk: sk(key) },
        UpdateExpression: 'SET routes_indexed = :t',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':t': true },
      }),
    )
    .catch((e: Error) => {
      if (e.name !== 'ConditionalCheckFailedException') throw e;
    });
};

/** Creates it; false when the unique key is taken. */
export const insertIntegration = async (item: IntegrationItem): Promise<boolean> => {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: tableName('state'),
        Item: { pk: pk(item.tenant_id), sk: sk(item.unique_key), ...item },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return false;
    throw e;
  }
};

/**
 * Writes the new version if nobody changed it since `expectedUpdatedAt` (optimistic
 * concurrency: two PATCHes can't silently overwrite each other). The connection count
 * is left alone: connections change it atomically.
 */
export const replaceIntegration = async (
  item: IntegrationItem,
  expectedUpdatedAt: string,
): Promise<boolean> => {
  const { connection_count: _c, tenant_id, unique_key, ...fields } = item;
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':expected': expectedUpdatedAt };
  const sets: string[] = [];
  const removes: string[] = [];
  for (const [k, v] of Object.entries(fields)) {
    names[`#${k}`] = k;
    if (v === undefined) removes.push(`#${k}`);
    else {
      sets.push(`#${k} = :${k}`);
      values[`:${k}`] = v;
    }
  }
  for (const opt of [
    'oauth_client_id',
    'scopes',
    'app',
    'endpoints',
    'secret_name',
    'secret_version',
  ] as const) {
    if (!(opt in fields)) {
      names[`#${opt}`] = opt;
      removes.push(`#${opt}`);
    }
  }
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName('state'),
        Key: { pk: pk(tenant_id), sk: sk(unique_key) },
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: 'updated_at = :expected',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return false;
    throw e;
  }
};

/**
 * Marks the integration as being deleted, before its connections are listed for deletion:
 * a connect that counts itself on it from then on is refused and takes its connection back
 * (connections-repo insertConnection), so none is left behind.
 */
export const markDeleting = async (tenantId: string, key: string): Promise<void> => {
  await dynamo()
    .send(
      new UpdateCommand({
        TableName: tableName('state'),
        Key: { pk: pk(tenantId), sk: sk(key) },
        UpdateExpression: 'SET deleting = :t',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':t': true },
      }),
    )
    .catch((e: Error) => {
      if (e.name !== 'ConditionalCheckFailedException') throw e;
    });
};

export const deleteIntegrationItem = async (tenantId: string, key: string): Promise<void> => {
  await dynamo().send(
    new DeleteCommand({ TableName: tableName('state'), Key: { pk: pk(tenantId), sk: sk(key) } }),
  );
};

export const listIntegrations = (tenantId: string, limit: number, startKey: Key | undefined) =>
  queryPage<Record<string, unknown>>(
    {
      TableName: tableName('state'),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': pk(tenantId), ':sk': 'INTEGRATION#' },
    },
    { limit, startKey, keyOf: (i) => ({ pk: i.pk as string, sk: i.sk as string }) },
  ).then((r) => ({ items: r.items.map(strip), nextKey: r.nextKey }));
