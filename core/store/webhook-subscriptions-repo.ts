import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';
import { type Key, queryPage } from './query-page';

/**
 * Outbound webhook subscriptions: state table, `TENANT#<t>` / `WHS#<subscription_id>`, so
 * a tenant's subscriptions are one Query (what every emitted event reads) and one a GetItem.
 */
export type SubscriptionItem = {
  tenant_id: string;
  subscription_id: string;
  url: string;
  events: string[];
  /** The signing secret, AES-256-GCM sealed (core/keys/credentials-crypto.ts); never leaves core/. */
  sealed_secret: string;
  /** Absent means enabled: a disabled subscription is sent nothing. */
  enabled?: boolean;
  /** The secret before the last rotation, still signing until `previous_secret_expires_at`. */
  previous_sealed_secret?: string;
  previous_secret_expires_at?: string;
  created_at: string;
  updated_at?: string;
};

const pk = (t: string) => `TENANT#${t}`;
const sk = (id: string) => `WHS#${id}`;

const strip = (i: Record<string, unknown>) => {
  const { pk: _p, sk: _s, ...rest } = i;
  return rest as SubscriptionItem;
};

export const putSubscription = async (s: SubscriptionItem): Promise<void> => {
  await dynamo().send(
    new PutCommand({
      TableName: tableName('state'),
      Item: { pk: pk(s.tenant_id), sk: sk(s.subscription_id), ...s },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
};

export const getSubscription = async (t: string, id: string): Promise<SubscriptionItem | undefined> => {
  const r = await dynamo().send(
    new GetCommand({ TableName: tableName('state'), Key: { pk: pk(t), sk: sk(id) }, ConsistentRead: true }),
  );
  return r.Item ? strip(r.Item) : undefined;
};

/** True when there was a subscription to delete. */
export const deleteSubscription = async (t: string, id: string): Promise<boolean> => {
  const r = await dynamo().send(
    new DeleteCommand({
      TableName: tableName('state'),
      Key: { pk: pk(t), sk: sk(id) },
      ReturnValues: 'ALL_OLD',
    }),
  );
  return r.Attributes !== undefined;
};

/**
 * Sets `fields` (undefined values are removed) on an existing subscription; false when
 * there is none. `ifSealed` guards a rotation: it applies only over the secret it read.
 */
export const updateSubscription = async (
  t: string,
  id: string,
  fields: {
    [K in keyof Omit<SubscriptionItem, 'tenant_id' | 'subscription_id' | 'created_at'>]?:
      | SubscriptionItem[K]
      | undefined;
  },
  options: { ifSealed?: string } = {},
): Promise<SubscriptionItem | undefined> => {
  const sets: string[] = [];
  const removes: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    names[`#${k}`] = k;
    if (v === undefined) removes.push(`#${k}`);
    else {
      sets.push(`#${k} = :${k}`);
      values[`:${k}`] = v;
    }
  }
  let condition = 'attribute_exists(pk)';
  if (options.ifSealed !== undefined) {
    names['#sealed_now'] = 'sealed_secret';
    values[':sealed_now'] = options.ifSealed;
    condition += ' AND #sealed_now = :sealed_now';
  }
  try {
    const r = await dynamo().send(
      new UpdateCommand({
        TableName: tableName('state'),
        Key: { pk: pk(t), sk: sk(id) },
        UpdateExpression: [
          sets.length ? `SET ${sets.join(', ')}` : '',
          removes.length ? `REMOVE ${removes.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join(' '),
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
        ReturnValues: 'ALL_NEW',
      }),
    );
    return r.Attributes ? strip(r.Attributes) : undefined;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return undefined;
    throw e;
  }
};

export const listSubscriptions = async (t: string, limit: number, startKey: Key | undefined) => {
  const r = await queryPage<Record<string, unknown>>(
    {
      TableName: tableName('state'),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :whs)',
      ExpressionAttributeValues: { ':pk': pk(t), ':whs': 'WHS#' },
      // Read-your-writes: a subscription just created is in the list.
      ConsistentRead: true,
    },
    { limit, startKey, keyOf: (i) => ({ pk: i.pk as string, sk: i.sk as string }) },
  );
  return { items: r.items.map(strip), nextKey: r.nextKey };
};

/**
 * Id and events of every enabled subscription of a tenant: the read behind each emitted event.
 * One Query, projected to what routing needs (subscriptions per tenant are capped well
 * below a page).
 */
export const subscriptionRoutes = async (t: string): Promise<{ id: string; events: string[] }[]> => {
  const out: { id: string; events: string[] }[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await dynamo().send(
      new QueryCommand({
        TableName: tableName('state'),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :whs)',
        ExpressionAttributeValues: { ':pk': pk(t), ':whs': 'WHS#' },
        ProjectionExpression: 'subscription_id, events, enabled',
        ExclusiveStartKey: start,
      }),
    );
    for (const i of r.Items ?? []) {
      // A disabled subscription is sent nothing.
      if (i.enabled === false) continue;
      out.push({ id: i.subscription_id as string, events: i.events as string[] });
    }
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
};

/** Every subscription of every tenant, a page at a time (data-key rotation re-seals their secrets). */
export async function* scanAllSubscriptions(): AsyncGenerator<SubscriptionItem[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const r = await dynamo().send(
      new ScanCommand({
        TableName: tableName('state'),
        FilterExpression: 'begins_with(sk, :whs)',
        ExpressionAttributeValues: { ':whs': 'WHS#' },
        ExclusiveStartKey: start,
      }),
    );
    yield (r.Items ?? []).map(strip);
    start = r.LastEvaluatedKey;
  } while (start);
}

/**
 * Replaces a sealed secret (the current one, or the one a rotation keeps signing for 24 h)
 * only if it is still the one read; false when it changed or is gone.
 */
export const resealSubscriptionIfUnchanged = async (
  s: SubscriptionItem,
  sealed: string,
  field: 'sealed_secret' | 'previous_sealed_secret' = 'sealed_secret',
): Promise<boolean> => {
  const old = s[field];
  if (old === undefined) return false;
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName('state'),
        Key: { pk: pk(s.tenant_id), sk: sk(s.subscription_id) },
        UpdateExpression: 'SET #f = :new',
        ConditionExpression: '#f = :old',
        ExpressionAttributeNames: { '#f': field },
        ExpressionAttributeValues: { ':new': sealed, ':old': old },
      }),
    );
    return true;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return false;
    throw e;
  }
};
