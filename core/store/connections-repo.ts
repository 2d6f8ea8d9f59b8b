import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  GetCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';
import { type Key, queryPage } from './query-page';

export type ConnectionStatus = 'pending_auth' | 'active' | 'expired' | 'error' | 'disconnected';
export type SyncStatus = 'healthy' | 'degraded' | 'failed';

export type ConnectionItem = {
  tenant_id: string;
  connection_id: string;
  integration: string;
  provider: string;
  name: string;
  status: ConnectionStatus;
  sync_status: SyncStatus;
  /** When an enabled sync becomes late, and the connection `degraded` (core/syncs/health.ts); '' never. */
  sync_late_after?: string;
  end_user_id: string;
  workspace_id?: string;
  provider_account: { id: string; name: string };
  credentials_meta: { type: string; scopes?: string[]; expires_at?: string };
  /** AES-256-GCM sealed credentials (core/keys/credentials-crypto.ts); never leaves core/. */
  sealed: string;
  metadata: Record<string, unknown>;
  config: Record<string, unknown>;
  /** When the token endpoint last refreshed these credentials (epoch ms): concurrent forced calls share it. */
  token_refreshed_at_ms?: number;
  /**
   * While a connect session re-authorises it (`status: pending_auth`): that session, the status
   * to go back to if it fails or ends first, and when it ends (ISO). Null once over.
   */
  pending_auth?: { session_id: string; previous_status: ConnectionStatus; until: string } | null;
  /** Facts the provider told us at verification (e.g. Jira cloud id). */
  provider_metadata?: Record<string, string>;
  /**
   * Its webhook routing keys (`installation:42`), each with a route item pointing here
   * (routeSk): provider events find their connections by key, not by scanning the
   * integration's. Absent on a connection of a provider without webhooks.
   */
  routing_keys?: string[];
  last_synced_at?: string;
  created_at: string;
  updated_at: string;
};

const pk = (t: string) => `TENANT#${t}`;
const sk = (c: string) => `CONN#${c}`;
const endUserPk = (t: string, u: string) => `TENANT#${t}#EU#${u}`;
/** One connection per (integration, end user, provider account): re-connecting updates it. */
export const accountSk = (integration: string, endUser: string, accountId: string) =>
  `ACCOUNT#${integration}#${endUser}#${accountId}`;

/** A route item: one per (integration, routing key, connection), in a partition per key. */
const routePk = (t: string, integration: string, key: string) => `TENANT#${t}#ROUTE#${integration}#${key}`;
const routeItem = (c: ConnectionItem, key: string) => ({
  pk: routePk(c.tenant_id, c.integration, key),
  sk: sk(c.connection_id),
  connection_id: c.connection_id,
});

const strip = (item: Record<string, unknown>): ConnectionItem => {
  const { pk: _p, sk: _s, gsi1pk: _g, gsi1sk: _h, ...rest } = item;
  return rest as ConnectionItem;
};

export const getConnection = async (
  tenantId: string,
  connectionId: string,
): Promise<ConnectionItem | undefined> => {
  const r = await dynamo().send(
    new GetCommand({
      TableName: tableName('state'),
      Key: { pk: pk(tenantId), sk: sk(connectionId) },
      ConsistentRead: true,
    }),
  );
  return r.Item ? strip(r.Item) : undefined;
};

export const findByAccount = async (
  tenantId: string,
  integration: string,
  endUser: string,
  accountId: string,
): Promise<string | undefined> => {
  const r = await dynamo().send(
    new GetCommand({
      TableName: tableName('state'),
      Key: { pk: pk(tenantId), sk: accountSk(integration, endUser, accountId) },
      ConsistentRead: true,
    }),
  );
  return r.Item?.connection_id as string | undefined;
};

export type InsertOutcome = 'created' | 'account_taken' | 'integration_gone';

/**
 * The integration's `connection_count`, one plain atomic update. It was part of each
 * connection's transaction; DynamoDB fails transactions that touch one item concurrently
 * (TransactionConflict), so every connect to a busy integration conflicted on its item. A
 * plain ADD never conflicts. Refused (false) when the integration is gone or being deleted.
 */
const countOn = async (c: ConnectionItem, by: 1 | -1): Promise<boolean> => {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName('state'),
        Key: { pk: pk(c.tenant_id), sk: `INTEGRATION#${c.integration}` },
        UpdateExpression: 'ADD connection_count :by',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deleting)',
        ExpressionAttributeValues: { ':by': by },
      }),
    );
    return true;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return false;
    throw e;
  }
};

/** The connection and its account-uniqueness item, both or neither. */
const removeItems = (c: ConnectionItem) =>
  dynamo().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Delete: {
            TableName: tableName('state'),
            Key: { pk: pk(c.tenant_id), sk: sk(c.connection_id) },
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        {
          Delete: {
            TableName: tableName('state'),
            Key: { pk: pk(c.tenant_id), sk: accountSk(c.integration, c.end_user_id, c.provider_account.id) },
          },
        },
        ...(c.routing_keys ?? []).map((k) => {
          const { pk: p, sk: s } = routeItem(c, k);
          return { Delete: { TableName: tableName('state'), Key: { pk: p, sk: s } } };
        }),
      ],
    }),
  );

/**
 * The connection and its account-uniqueness item, all or nothing; then the integration's
 * count. An integration deleted meanwhile (gone, or marked `deleting` before its connections
 * are listed) refuses the count, and the connection just written is taken back — so a
 * deletion either lists it or never sees it. `countOnIntegration: false` for connections of
 * no integration (CSV imports').
 */
export const insertConnection = async (
  c: ConnectionItem,
  { countOnIntegration = true } = {},
): Promise<InsertOutcome> => {
  try {
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName('state'),
              Item: {
                pk: pk(c.tenant_id),
                sk: sk(c.connection_id),
                gsi1pk: endUserPk(c.tenant_id, c.end_user_id),
                gsi1sk: sk(c.connection_id),
                ...c,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: tableName('state'),
              Item: {
                pk: pk(c.tenant_id),
                sk: accountSk(c.integration, c.end_user_id, c.provider_account.id),
                connection_id: c.connection_id,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...(c.routing_keys ?? []).map((k) => ({
            Put: { TableName: tableName('state'), Item: routeItem(c, k) },
          })),
        ],
      }),
    );
  } catch (e) {
    const reasons = (e as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    if ((e as Error).name !== 'TransactionCanceledException' || !reasons) throw e;
    if (reasons[1]?.Code === 'ConditionalCheckFailed') return 'account_taken';
    throw e;
  }
  if (countOnIntegration && !(await countOn(c, 1))) {
    await removeItems(c).catch(() => undefined);
    return 'integration_gone';
  }
  return 'created';
};

/**
 * Sets fields of an existing connection; undefined when it no longer exists — or, with
 * `only`, when a field no longer holds the value read (a status transition happens once).
 */
export const updateConnection = async (
  tenantId: string,
  connectionId: string,
  fields: Partial<
    Omit<ConnectionItem, 'tenant_id' | 'connection_id' | 'integration' | 'provider' | 'end_user_id'>
  >,
  only: { status?: ConnectionStatus; sync_status?: SyncStatus } = {},
): Promise<ConnectionItem | undefined> => {
  const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
  const guards = Object.entries(only).filter(([, v]) => v !== undefined);
  const names = new Map([...entries, ...guards].map(([k]) => [`#${k}`, k]));
  try {
    const r = await dynamo().send(
      new UpdateCommand({
        TableName: tableName('state'),
        Key: { pk: pk(tenantId), sk: sk(connectionId) },
        UpdateExpression: `SET ${entries.map(([k]) => `#${k} = :${k}`).join(', ')}`,
        ConditionExpression: ['attribute_exists(pk)', ...guards.map(([k]) => `#${k} = :was_${k}`)].join(
          ' AND ',
        ),
        ExpressionAttributeNames: Object.fromEntries(names),
        ExpressionAttributeValues: {
          ...Object.fromEntries(entries.map(([k, v]) => [`:${k}`, v])),
          ...Object.fromEntries(guards.map(([k, v]) => [`:was_${k}`, v])),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return r.Attributes ? strip(r.Attributes) : undefined;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return undefined;
    throw e;
  }
};

/** Deletes the connection (and its credentials, which live on it); false if it was gone. */
export const deleteConnection = async (
  c: ConnectionItem,
  { countOnIntegration = true } = {},
): Promise<boolean> => {
  try {
    await removeItems(c);
  } catch (e) {
    if ((e as Error).name === 'TransactionCanceledException') return false;
    throw e;
  }
  // The integration may be gone meanwhile (it deletes its connections): nothing to count then.
  if (countOnIntegration) await countOn(c, -1);
  return true;
};

/**
 * Replaces the connection's routing keys (its provider account or metadata changed on a
 * re-connect): the new route items, the gone ones deleted and the list on the connection,
 * in one transaction; false when the connection was deleted meanwhile.
 */
export const setRoutingKeys = async (c: ConnectionItem, keys: string[]): Promise<boolean> => {
  const old = new Set(c.routing_keys ?? []);
  const next = new Set(keys);
  const added = [...next].filter((k) => !old.has(k));
  const gone = [...old].filter((k) => !next.has(k));
  if (!added.length && !gone.length && c.routing_keys) return true;
  try {
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName('state'),
              Key: { pk: pk(c.tenant_id), sk: sk(c.connection_id) },
              UpdateExpression: 'SET routing_keys = :keys',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':keys': [...next] },
            },
          },
          ...added.map((k) => ({ Put: { TableName: tableName('state'), Item: routeItem(c, k) } })),
          ...gone.map((k) => {
            const { pk: p, sk: s } = routeItem(c, k);
            return { Delete: { TableName: tableName('state'), Key: { pk: p, sk: s } } };
          }),
        ],
      }),
    );
  } catch (e) {
    // Deleted meanwhile (the update's condition): nothing to route to any more.
    if ((e as Error).name === 'TransactionCanceledException') return false;
    throw e;
  }
  return true;
};

/**
 * The connections an event's routing keys name: one Query per key (its own partition), then
 * the connections themselves, 100 a call. What a 200,000-connection tenant's webhook costs
 * is what its event names, not what the tenant holds.
 */
export const connectionsByRoutingKeys = async (
  tenantId: string,
  integration: string,
  keys: string[],
): Promise<ConnectionItem[]> => {
  const ids = new Set<string>();
  // Each key is its own partition: read them together.
  await Promise.all(
    [...new Set(keys)].map(async (k) => {
      let start: Record<string, unknown> | undefined;
      do {
        const r = await dynamo().send(
          new QueryCommand({
            TableName: tableName('state'),
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': routePk(tenantId, integration, k) },
            ProjectionExpression: 'connection_id',
            ExclusiveStartKey: start,
          }),
        );
        for (const i of r.Items ?? []) ids.add(i.connection_id as string);
        start = r.LastEvaluatedKey;
      } while (start);
    }),
  );
  const found: ConnectionItem[] = [];
  const all = [...ids];
  for (let i = 0; i < all.length; i += 100) {
    let keysLeft: Record<string, unknown>[] | undefined = all
      .slice(i, i + 100)
      .map((id) => ({ pk: pk(tenantId), sk: sk(id) }));
    for (let attempt = 0; keysLeft && keysLeft.length > 0; attempt++) {
      const r: BatchGetCommandOutput = await dynamo().send(
        new BatchGetCommand({ RequestItems: { [tableName('state')]: { Keys: keysLeft } } }),
      );
      for (const item of r.Responses?.[tableName('state')] ?? []) found.push(strip(item));
      keysLeft = r.UnprocessedKeys?.[tableName('state')]?.Keys as Record<string, unknown>[] | undefined;
      if (keysLeft?.length) await new Promise((res) => setTimeout(res, Math.min(1000, 50 * 2 ** attempt)));
    }
  }
  return found;
};

/**
 * The status and provider of many connections of any tenants, 100 keys a BatchGetItem
 * (strongly consistent, as getConnection), keyed `<tenant_id>/<connection_id>`: what the
 * scheduler's shard worker checks before claiming due syncs. A missing one is absent.
 */
export const connectionStatuses = async (
  keys: readonly { tenant_id: string; connection_id: string }[],
): Promise<Map<string, Pick<ConnectionItem, 'status' | 'provider'>>> => {
  const out = new Map<string, Pick<ConnectionItem, 'status' | 'provider'>>();
  const unique = [...new Map(keys.map((k) => [`${k.tenant_id}/${k.connection_id}`, k])).values()];
  for (let i = 0; i < unique.length; i += 100) {
    let keysLeft: Record<string, unknown>[] | undefined = unique
      .slice(i, i + 100)
      .map((k) => ({ pk: pk(k.tenant_id), sk: sk(k.connection_id) }));
    for (let attempt = 0; keysLeft && keysLeft.length > 0; attempt++) {
      if (attempt > 0) await new Promise((res) => setTimeout(res, Math.min(1000, 50 * 2 ** attempt)));
      const r: BatchGetCommandOutput = await dynamo().send(
        new BatchGetCommand({
          RequestItems: {
            [tableName('state')]: {
              Keys: keysLeft,
              ConsistentRead: true,
              ProjectionExpression: 'tenant_id, connection_id, #status, provider',
              ExpressionAttributeNames: { '#status': 'status' },
            },
          },
        }),
      );
      for (const item of r.Responses?.[tableName('state')] ?? []) {
        out.set(`${item.tenant_id}/${item.connection_id}`, {
          status: item.status as ConnectionStatus,
          provider: item.provider as string,
        });
      }
      keysLeft = r.UnprocessedKeys?.[tableName('state')]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return out;
};

export type ConnectionFilter = {
  integration?: string | undefined;
  provider?: string | undefined;
  status?: string | undefined;
  end_user_id?: string | undefined;
  workspace_id?: string | undefined;
};

/**
 * A page of a tenant's connections. With `end_user_id` it reads that user's index
 * partition (the common case: an app listing one user's connections); otherwise the
 * tenant's partition. Other filters are DynamoDB filters over that read.
 */
export const listConnections = async (
  tenantId: string,
  filter: ConnectionFilter,
  limit: number,
  startKey: Key | undefined,
) => {
  const conds: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const f of ['integration', 'provider', 'status', 'workspace_id'] as const) {
    const v = filter[f];
    if (v === undefined) continue;
    conds.push(`#${f} = :${f}`);
    names[`#${f}`] = f;
    values[`:${f}`] = v;
  }
  const byUser = filter.end_user_id !== undefined;
  const r = await queryPage<Record<string, unknown>>(
    {
      TableName: tableName('state'),
      ...(byUser
        ? {
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: {
              ':pk': endUserPk(tenantId, filter.end_user_id as string),
              ...values,
            },
          }
        : {
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :conn)',
            ExpressionAttributeValues: { ':pk': pk(tenantId), ':conn': 'CONN#', ...values },
          }),
      ...(conds.length ? { FilterExpression: conds.join(' AND '), ExpressionAttributeNames: names } : {}),
    },
    {
      limit,
      startKey,
      keyOf: (i) =>
        byUser
          ? { pk: i.pk as string, sk: i.sk as string, gsi1pk: i.gsi1pk as string, gsi1sk: i.gsi1sk as string }
          : { pk: i.pk as string, sk: i.sk as string },
    },
  );
  return { items: r.items.map(strip), nextKey: r.nextKey };
};

/** Every connection of one integration (for cascading deletes). */
export const connectionsOfIntegration = async (
  tenantId: string,
  integration: string,
): Promise<ConnectionItem[]> => {
  const out: ConnectionItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await dynamo().send(
      new QueryCommand({
        TableName: tableName('state'),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :conn)',
        FilterExpression: '#i = :i',
        ExpressionAttributeNames: { '#i': 'integration' },
        ExpressionAttributeValues: { ':pk': pk(tenantId), ':conn': 'CONN#', ':i': integration },
        ExclusiveStartKey: start,
      }),
    );
    out.push(...(r.Items ?? []).map(strip));
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
};

/** Every connection of every tenant, page by page (key rotation re-encrypts them all). */
export async function* scanAllConnections(): AsyncGenerator<ConnectionItem[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const r = await dynamo().send(
      new ScanCommand({
        TableName: tableName('state'),
        FilterExpression: 'begins_with(sk, :conn)',
        ExpressionAttributeValues: { ':conn': 'CONN#' },
        ExclusiveStartKey: start,
      }),
    );
    yield (r.Items ?? []).map(strip);
    start = r.LastEvaluatedKey;
  } while (start);
}

/** Replaces sealed credentials only if they are still the ones read (rotation vs. refresh). */
export const resealIfUnchanged = async (c: ConnectionItem, sealed: string): Promise<boolean> => {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName('state'),
        Key: { pk: pk(c.tenant_id), sk: sk(c.connection_id) },
        UpdateExpression: 'SET sealed = :new',
        ConditionExpression: 'sealed = :old',
        ExpressionAttributeValues: { ':new': sealed, ':old': c.sealed },
      }),
    );
    return true;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return false;
    throw e;
  }
};

export const batchDelete = async (table: string, keys: Record<string, string>[]): Promise<void> => {
  for (let i = 0; i < keys.length; i += 25) {
    let requests: Record<string, unknown>[] | undefined = keys
      .slice(i, i + 25)
      .map((Key) => ({ DeleteRequest: { Key } }));
    // BatchWriteItem may leave items unprocessed under throttling: retry those, backing off.
    for (let attempt = 0; requests && requests.length > 0; attempt++) {
      const r = await dynamo().send(new BatchWriteCommand({ RequestItems: { [table]: requests as never } }));
      requests = r.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined;
      if (requests?.length) await new Promise((res) => setTimeout(res, Math.min(1000, 50 * 2 ** attempt)));
    }
  }
};

export const purgeRecords = async (
  tenantId: string,
  connectionId: string,
  models: string[],
): Promise<number> => {
  let purged = 0;
  for (const model of new Set(models)) {
    let start: Record<string, unknown> | undefined;
    do {
      const r = await dynamo().send(
        new QueryCommand({
          TableName: tableName('records'),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}#CONN#${connectionId}#MODEL#${model}` },
          ProjectionExpression: 'pk, sk',
          ExclusiveStartKey: start,
        }),
      );
      const keys = (r.Items ?? []) as Record<string, string>[];
      await batchDelete(tableName('records'), keys);
      purged += keys.length;
      start = r.LastEvaluatedKey;
    } while (start);
  }
  return purged;
};
