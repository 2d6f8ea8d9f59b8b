import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';
import type { SyncStatus } from './syncs-repo';

/**
 * Syncs sit in the sparse schedule index only while enabled and unpaused, spread over
 * SCHEDULE_SHARDS partitions (`shardOf` in syncs-repo.ts) so a million syncs don't share one
 * hot key, and so the tick fans out to one shard worker per shard.
 *
 * 256 since the fan-out; 16 before. `shardOf` is the connection id's first SHA-256 byte
 * modulo the shard count, so a sync written under 16 shards sits in `SHARD#<b % 16>` — the
 * same partition key as the new shard `b % 16` of 0..15. The workers of shards 0..15
 * therefore read those items with their own, nothing extra; each claim rewrites the item's
 * `schedule_shard` to its 256-shard value, so the old items spread out within one period.
 */
export const SCHEDULE_SHARDS = 256;

/**
 * The narrow index (INCLUDE: what a claim needs) and the one it replaces (ALL). Reads use
 * the narrow one, and the old one only while the narrow one is not readable — a deploy that
 * adds it backfills it first (docs/scale.md, "Narrowing the schedule index").
 */
export const SCHEDULE_INDEX = 'schedule_v2';
export const LEGACY_SCHEDULE_INDEX = 'schedule';

/** An index item of the schedule: the claim works from it without reading the sync. */
export type DueSync = {
  tenant_id: string;
  connection_id: string;
  sync: string;
  next_run_at: string;
  schedule_shard: string;
  frequency: string;
  paused?: boolean;
  status?: SyncStatus;
};

// A container that found the narrow index unreadable reads the old one for a minute, not
// twice per shard.
let legacyUntil = 0;
const unreadable = (e: unknown) =>
  (e as Error).name === 'ValidationException' && (e as Error).message.includes(SCHEDULE_INDEX);

const query = async (
  index: string,
  shard: number,
  nowIso: string,
  limit: number,
  start?: Record<string, unknown>,
) =>
  dynamo().send(
    new QueryCommand({
      TableName: tableName('state'),
      IndexName: index,
      KeyConditionExpression: 'schedule_shard = :s AND next_run_at <= :now',
      ExpressionAttributeValues: { ':s': `SHARD#${shard}`, ':now': nowIso },
      // The same attributes from either index: the old one projects the whole sync state.
      ProjectionExpression:
        'tenant_id, connection_id, #sync, next_run_at, schedule_shard, frequency, paused, #status',
      ExpressionAttributeNames: { '#sync': 'sync', '#status': 'status' },
      Limit: limit,
      ExclusiveStartKey: start,
    }),
  );

/**
 * One page (≤ 1 MB, at most `limit`) of the shard's due syncs, oldest due first, from
 * `start`; `next` continues it. Eventually consistent: the claim's condition is the truth.
 */
export const queryDuePage = async (
  shard: number,
  nowIso: string,
  limit: number,
  start?: Record<string, unknown>,
): Promise<{ items: DueSync[]; next?: Record<string, unknown> }> => {
  let r: QueryCommandOutput;
  if (Date.now() < legacyUntil) r = await query(LEGACY_SCHEDULE_INDEX, shard, nowIso, limit, start);
  else {
    try {
      r = await query(SCHEDULE_INDEX, shard, nowIso, limit, start);
    } catch (e) {
      // Backfilling ("Cannot read from backfilling global secondary index") or not created
      // yet: the old index holds the same items.
      if (!unreadable(e)) throw e;
      legacyUntil = Date.now() + 60_000;
      r = await query(LEGACY_SCHEDULE_INDEX, shard, nowIso, limit, start);
    }
  }
  return { items: (r.Items ?? []) as DueSync[], ...(r.LastEvaluatedKey ? { next: r.LastEvaluatedKey } : {}) };
};

/** Up to `limit` due syncs of the shard, oldest due first, read a page at a time. */
export const queryDue = async (shard: number, nowIso: string, limit: number): Promise<DueSync[]> => {
  const out: DueSync[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await queryDuePage(shard, nowIso, limit - out.length, start);
    out.push(...page.items);
    start = page.next;
  } while (start && out.length < limit);
  return out;
};
