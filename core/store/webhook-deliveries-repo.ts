import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';
import type { Key } from './query-page';
import { mergeShards, shardKey, shardKeys } from './shard-merge';

/**
 * Delivery attempts of outbound webhooks: the sync-runs table, which holds the service's
 * expiring, time-ordered logs. `TENANT#<t>#WHS#<subscription>#SHARD#<n>` (n from the event
 * id) / `DLV#<attempted_at>#<event>#<attempt>`: a subscription's attempts newest first are
 * one Query per shard read backwards, merged. Beside them, on the unsharded key,
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

/**
 * Partitions per subscription's delivery log. The scenario sends 10,000 outbound webhooks
 * a second; were they all one subscription's, that is 10,000 attempts (items under 1 KB:
 * one write unit each) a second at the end of one ever-growing sort key, where a partition
 * takes 1,000. Spread over 16, ~625 a shard, with room for the hash's unevenness. A listing
 * costs one Query per shard (and one for the legacy, unsharded key), run together: a page
 * read by a person, not a hot path. All attempts of one event share a shard.
 */
export const DELIVERY_SHARDS = 16;

const strip = (i: Record<string, unknown>) => {
  const { pk: _p, sk: _s, ...rest } = i;
  return rest as DeliveryItem;
};

export const putDelivery = async (d: DeliveryItem): Promise<void> => {
  await dynamo().send(
    new PutCommand({
      TableName: tableName('runs'),
      Item: {
        pk: shardKey(pk(d.tenant_id, d.subscription_id), d.event_id, DELIVERY_SHARDS),
        sk: `DLV#${d.attempted_at}#${d.event_id}#${String(d.attempt).padStart(3, '0')}`,
        ...d,
      },
    }),
  );
};

/**
 * A page of a subscription's attempts, newest first, before `startKey` (the sort key of the
 * last one listed; cursors from before the sharding also carry it). The shards and the
 * legacy key (attempts written before the log was sharded) are merged by sort key — see
 * mergeShards for why pages are exact. Sort keys are unique across shards (they hold the
 * event id and attempt), and an attempt is written at its `attempted_at`, so what is written
 * while a client pages is newer than its cursor: it tops a later listing, never shifts
 * older pages.
 */
export const listDeliveries = async (t: string, s: string, limit: number, startKey: Key | undefined) => {
  const before = startKey?.sk?.startsWith('DLV#') ? startKey.sk : undefined;
  const r = await mergeShards<Record<string, unknown>>({
    queries: shardKeys(pk(t, s), DELIVERY_SHARDS).map((key) => ({
      TableName: tableName('runs'),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :dlv)',
      ExpressionAttributeValues: { ':pk': key, ':dlv': 'DLV#' },
      // A position, not an item: every shard resumes strictly before the last one listed.
      ...(before ? { ExclusiveStartKey: { pk: key, sk: before } } : {}),
    })),
    sortKey: 'sk',
    descending: true,
    limit,
  });
  return { items: r.items.map(strip), nextKey: r.more && r.last ? { sk: r.last } : undefined };
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
