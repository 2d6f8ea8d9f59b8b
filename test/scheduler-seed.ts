import { BatchWriteCommand, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../core/platform/aws';
import { tableName } from '../core/platform/config';
import { newId } from '../core/platform/ids';
import { shardOf } from '../core/store/syncs-repo';

/**
 * `n` active connections of a tenant, each with one enabled hourly sync due since `dueAt`,
 * written straight to the state table 25 a call — what the scheduler test and bench start
 * from (connecting `n` accounts through the API would measure the API, not the scheduler).
 */
export const seedDueSyncs = async (
  tenantId: string,
  n: number,
  dueAt: string,
  options: {
    /** These connections again (the bench makes the same syncs due twice); default new ones. */
    ids?: readonly string[];
    /** The sync's `schedule_shard` (default `shardOf`: the 256 shards). */
    shard?: (connectionId: string) => string;
    /** Fields over the connection's (e.g. `status: 'expired'`); null: no connection item. */
    connection?: Record<string, unknown> | null;
    /** Fields over the sync state's (e.g. `status: 'running'`). */
    sync?: Record<string, unknown>;
  } = {},
): Promise<{ connection_id: string; sync: string }[]> => {
  const now = new Date().toISOString();
  const seeded: { connection_id: string; sync: string }[] = [];
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const connection_id = options.ids?.[i] ?? newId('conn');
    seeded.push({ connection_id, sync: 'issues' });
    const connection = {
      pk: `TENANT#${tenantId}`,
      sk: `CONN#${connection_id}`,
      tenant_id: tenantId,
      connection_id,
      integration: 'gh-sched',
      provider: 'github',
      name: `c${i}`,
      status: 'active',
      sync_status: 'healthy',
      end_user_id: `u_${i}`,
      provider_account: { id: String(i), name: `a${i}` },
      credentials_meta: { type: 'oauth2' },
      sealed: 'x',
      metadata: {},
      config: {},
      created_at: now,
      updated_at: now,
      ...options.connection,
    };
    if (options.connection !== null) items.push(connection);
    items.push({
      pk: `TENANT#${tenantId}`,
      sk: `SYNC#${connection_id}#issues`,
      tenant_id: tenantId,
      connection_id,
      sync: 'issues',
      model: 'work_item',
      frequency: '1h',
      paused: false,
      status: 'success',
      records_count: 0,
      schedule_shard: (options.shard ?? shardOf)(connection_id),
      next_run_at: dueAt,
      ...options.sync,
    });
  }
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  // A few calls at a time: DynamoDB Local takes them, and 100,000 items load in seconds.
  for (let i = 0; i < chunks.length; i += 8) {
    await Promise.all(
      chunks.slice(i, i + 8).map(async (chunk) => {
        let left: unknown[] | undefined = chunk.map((Item) => ({ PutRequest: { Item } }));
        while (left?.length) {
          const r: BatchWriteCommandOutput = await dynamo().send(
            new BatchWriteCommand({ RequestItems: { [tableName('state')]: left as never } }),
          );
          left = r.UnprocessedItems?.[tableName('state')];
        }
      }),
    );
  }
  return seeded;
};
