import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';

/**
 * Syncs sit in the sparse `schedule` index only while enabled and unpaused, spread over
 * SCHEDULE_SHARDS partitions so a million syncs don't share one hot key.
 */
export const SCHEDULE_SHARDS = 16;

export type DueSync = { tenant_id: string; connection_id: string; sync: string; next_run_at: string };

/** Up to `limit` due syncs of the shard, oldest due first, read a page (≤ 1 MB) at a time. */
export const queryDue = async (shard: number, nowIso: string, limit: number): Promise<DueSync[]> => {
  const out: DueSync[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await dynamo().send(
      new QueryCommand({
        TableName: tableName('state'),
        IndexName: 'schedule',
        KeyConditionExpression: 'schedule_shard = :s AND next_run_at <= :now',
        ExpressionAttributeValues: { ':s': `SHARD#${shard}`, ':now': nowIso },
        // Only what queueing needs: the index item is a copy of the whole sync state.
        ProjectionExpression: 'tenant_id, connection_id, #sync, next_run_at',
        ExpressionAttributeNames: { '#sync': 'sync' },
        Limit: limit - out.length,
        ExclusiveStartKey: start,
      }),
    );
    out.push(...((r.Items ?? []) as DueSync[]));
    start = r.LastEvaluatedKey;
  } while (start && out.length < limit);
  return out;
};
