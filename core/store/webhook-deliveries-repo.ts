import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';
import { type Key, queryPage } from './query-page';

/**
 * Delivery attempts of outbound webhooks: the sync-runs table, which holds the service's
 * expiring, time-ordered logs. `TENANT#<t>#WHS#<subscription>` / `DLV#<attempted_at>#<event>#<attempt>`:
 * a subscription's attempts newest first are one Query read backwards. Beside them,
 * `DEAD#<event>` keeps the event of a delivery that ended `dead` or `failed`, so it can be
 * replayed (POST …/deliveries/{event id}/retry) without a scan.
 */
export type DeliveryStatus = 'delivered' | 'failed' | 'retrying' | 'dead';

export type DeliveryItem = {
  tenant_id: string;
  subscription_id: string;
  event_id: string;
  event: string;
  attempt: number;
  status: DeliveryStatus;
  response_status: number | null;
  duration_ms: number;
  error: string | null;
  attempted_at: string;
  next_attempt_at: string | null;
  expires_at: number;
};

/** Attempts are kept (TTL) this long, as sync runs are. */
export const DELIVERY_RETENTION_SECONDS = 30 * 86400;

const pk = (t: string, s: string) => `TENANT#${t}#WHS#${s}`;

const strip = (i: Record<string, unknown>) => {
  const { pk: _p, sk: _s, ...rest } = i;
  return rest as DeliveryItem;
};

export const putDelivery = async (d: DeliveryItem): Promise<void> => {
  await dynamo().send(
    new PutCommand({
      TableName: tableName('runs'),
      Item: {
        pk: pk(d.tenant_id, d.subscription_id),
        sk: `DLV#${d.attempted_at}#${d.event_id}#${String(d.attempt).padStart(3, '0')}`,
        ...d,
      },
    }),
  );
};

export const listDeliveries = async (t: string, s: string, limit: number, startKey: Key | undefined) => {
  const r = await queryPage<Record<string, unknown>>(
    {
      TableName: tableName('runs'),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :dlv)',
      ExpressionAttributeValues: { ':pk': pk(t, s), ':dlv': 'DLV#' },
      ScanIndexForward: false,
    },
    { limit, startKey, keyOf: (i) => ({ pk: i.pk as string, sk: i.sk as string }) },
  );
  return { items: r.items.map(strip), nextKey: r.nextKey };
};

/** A delivery that ended dead or failed: the event as it was sent, for a replay. */
export type DeadLetter = {
  tenant_id: string;
  subscription_id: string;
  event_id: string;
  /** The event as JSON, exactly the body that was sent. */
  event: string;
  status: 'dead' | 'failed';
  ended_at: string;
  expires_at: number;
};

export const putDeadLetter = async (d: DeadLetter): Promise<void> => {
  await dynamo().send(
    new PutCommand({
      TableName: tableName('runs'),
      Item: { pk: pk(d.tenant_id, d.subscription_id), sk: `DEAD#${d.event_id}`, ...d },
    }),
  );
};

export const getDeadLetter = async (
  t: string,
  s: string,
  eventId: string,
): Promise<DeadLetter | undefined> => {
  const r = await dynamo().send(
    new GetCommand({
      TableName: tableName('runs'),
      Key: { pk: pk(t, s), sk: `DEAD#${eventId}` },
      ConsistentRead: true,
    }),
  );
  if (!r.Item) return undefined;
  const { pk: _p, sk: _s, ...rest } = r.Item;
  return rest as DeadLetter;
};

/** Takes the dead letter for a replay; false when another replay took it first. */
export const takeDeadLetter = async (t: string, s: string, eventId: string): Promise<boolean> => {
  const r = await dynamo().send(
    new DeleteCommand({
      TableName: tableName('runs'),
      Key: { pk: pk(t, s), sk: `DEAD#${eventId}` },
      ReturnValues: 'ALL_OLD',
    }),
  );
  return r.Attributes !== undefined;
};
