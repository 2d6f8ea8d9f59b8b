import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';

/**
 * Syncs sit in the sparse `schedule` index only while enabled and unpaused, spread over
 * SCHEDULE_SHARDS partitions so a million syncs don't share one hot key.
 */
export const SCHEDULE_SHARDS = 16;

export type DueSync = { tenant_id: string; connection_id: string; sync: string; next_run_at: string };

export const queryDue = async (shard: number, nowIso: string, limit: number): Promise<DueSync[]> => {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName('state'),
      IndexName: 'schedule',
      KeyConditionExpression: 'schedule_shard = :s AND next_run_at <= :now',
      ExpressionAttributeValues: { ':s': `SHARD#${shard}`, ':now': nowIso },
      Limit: limit,
    }),
  );
  return (r.Items ?? []) as DueSync[];
};
