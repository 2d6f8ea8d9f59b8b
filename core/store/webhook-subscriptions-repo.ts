import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
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
  created_at: string;
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
 * Id and events of every subscription of a tenant: the read behind each emitted event.
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
        ProjectionExpression: 'subscription_id, events',
        ExclusiveStartKey: start,
      }),
    );
    for (const i of r.Items ?? [])
      out.push({ id: i.subscription_id as string, events: i.events as string[] });
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
};
