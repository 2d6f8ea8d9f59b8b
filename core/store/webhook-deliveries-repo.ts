import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';
import { type Key, queryPage } from './query-page';

/**
 * Delivery attempts of outbound webhooks: the sync-runs table, which holds the service's
 * expiring, time-ordered logs. `TENANT#<t>#WHS#<subscription>` / `DLV#<attempted_at>#<event>#<attempt>`:
 * a subscription's attempts newest first are one Query read backwards.
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
