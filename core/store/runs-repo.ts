import {
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';
import { type Key, queryPage } from './query-page';

export type RunStatus = 'queued' | 'running' | 'success' | 'error';
export type RunItem = {
  tenant_id: string;
  id: string;
  connection_id: string;
  /** The connection's provider: a metric dimension, not part of the API's run. */
  provider?: string;
  sync: string;
  trigger: 'manual' | 'schedule' | 'webhook';
  mode: 'incremental' | 'full';
  status: RunStatus;
  queued_at: string;
  started_at?: string;
  finished_at?: string;
  duration_ms?: number;
  records: { added: number; updated: number; deleted: number };
  pages: number;
  error?: string;
  expires_at: number;
  /**
   * Epoch ms from which every change the run wrote is in the feed (GET /v1/records stops
   * SETTLE_MS short of now). A run ends in the invocation that stored its last page, its
   * status stored at once; until then it reads `running` (core/syncs/runs.ts `runView`, and
   * the status filter of `listRuns`), so a client that sees `success` finds all of it.
   */
  visible_at?: number;
};

/** Run logs expire (TTL) after this long: 30 days. */
export const RUN_RETENTION_SECONDS = 30 * 86400;
const pk = (t: string) => `TENANT#${t}`;
const byConn = (t: string, c: string) => `TENANT#${t}#CONN#${c}`;

const strip = (i: Record<string, unknown>) => {
  const { pk: _p, sk: _s, gsi1pk: _g, gsi1sk: _h, ...rest } = i;
  return rest as RunItem;
};

export const putRun = async (run: RunItem): Promise<void> => {
  await dynamo().send(
    new PutCommand({
      TableName: tableName('runs'),
      Item: {
        pk: pk(run.tenant_id),
        sk: `RUN#${run.id}`,
        gsi1pk: byConn(run.tenant_id, run.connection_id),
        gsi1sk: `RUN#${run.id}`,
        ...run,
      },
    }),
  );
};

/**
 * Writes new runs 25 a call (BatchWriteItem's limit), retrying what DynamoDB left
 * unprocessed with a short backoff: the scheduler's shard worker queues hundreds at once.
 */
export const putRuns = async (runs: readonly RunItem[]): Promise<void> => {
  const table = tableName('runs');
  for (let i = 0; i < runs.length; i += 25) {
    let left: Record<string, unknown>[] | undefined = runs.slice(i, i + 25).map((run) => ({
      PutRequest: {
        Item: {
          pk: pk(run.tenant_id),
          sk: `RUN#${run.id}`,
          gsi1pk: byConn(run.tenant_id, run.connection_id),
          gsi1sk: `RUN#${run.id}`,
          ...run,
        },
      },
    }));
    for (let attempt = 0; left?.length; attempt++) {
      if (attempt > 0) await new Promise((res) => setTimeout(res, Math.min(1000, 50 * 2 ** attempt)));
      const r: BatchWriteCommandOutput = await dynamo().send(
        new BatchWriteCommand({ RequestItems: { [table]: left as never } }),
      );
      left = r.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined;
    }
  }
};

export const getRun = async (t: string, id: string): Promise<RunItem | undefined> => {
  const r = await dynamo().send(
    new GetCommand({
      TableName: tableName('runs'),
      Key: { pk: pk(t), sk: `RUN#${id}` },
      ConsistentRead: true,
    }),
  );
  return r.Item ? strip(r.Item) : undefined;
};

/** Sets fields and adds to the counters, unless the run is finished already. */
export const updateRun = async (
  t: string,
  id: string,
  fields: Partial<RunItem>,
  add: { added?: number; updated?: number; deleted?: number; pages?: number } = {},
): Promise<RunItem | undefined> => {
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':success': 'success', ':error': 'error' };
  const sets = Object.entries(fields).map(([k, v]) => {
    names[`#${k}`] = k;
    values[`:${k}`] = v;
    return `#${k} = :${k}`;
  });
  for (const c of ['added', 'updated', 'deleted'] as const) {
    if (add[c]) {
      names['#records'] = 'records';
      names[`#${c}`] = c;
      values[`:${c}_n`] = add[c];
      sets.push(`#records.#${c} = #records.#${c} + :${c}_n`);
    }
  }
  if (add.pages) {
    names['#pages'] = 'pages';
    values[':pages_n'] = add.pages;
    sets.push('#pages = #pages + :pages_n');
  }
  if (!sets.length) return getRun(t, id);
  try {
    const r = await dynamo().send(
      new UpdateCommand({
        TableName: tableName('runs'),
        Key: { pk: pk(t), sk: `RUN#${id}` },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: 'attribute_exists(pk) AND #status <> :success AND #status <> :error',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return r.Attributes ? strip(r.Attributes) : undefined;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return undefined;
    throw e;
  }
};

export type RunFilter = {
  connection_id?: string | undefined;
  sync?: string | undefined;
  status?: string | undefined;
};

/**
 * Runs newest first: of one connection through gsi1, else of the tenant. A started run is
 * stored `queued` until its progress or end is written (core/syncs/runs.ts `asStarted`), so
 * `status=running` reads the stored `queued` ones too, and `refine` (given each Query's
 * runs) shows the started ones `running` and drops what the filter does not want.
 */
export const listRuns = async (
  t: string,
  f: RunFilter,
  limit: number,
  startKey: Key | undefined,
  refine?: <R extends RunItem>(runs: R[]) => Promise<R[]>,
) => {
  const conds: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (f.sync !== undefined) {
    conds.push('#sync = :sync');
    names['#sync'] = 'sync';
    values[':sync'] = f.sync;
  }
  if (f.status !== undefined) {
    names['#status'] = 'status';
    values[':status'] = f.status;
    // A finished run reads `running` until its changes are in the feed (`visible_at`).
    if (f.status === 'running' || f.status === 'success') {
      names['#vis'] = 'visible_at';
      values[':now'] = Date.now();
    }
    if (f.status === 'running') {
      values[':success'] = 'success';
      values[':queued'] = 'queued';
      conds.push('(#status = :status OR #status = :queued OR (#status = :success AND #vis > :now))');
    } else if (f.status === 'success') {
      conds.push('(#status = :status AND (attribute_not_exists(#vis) OR #vis <= :now))');
    } else conds.push('#status = :status');
  }
  const r = await queryPage<Record<string, unknown>>(
    {
      TableName: tableName('runs'),
      ScanIndexForward: false,
      ...(f.connection_id
        ? {
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': byConn(t, f.connection_id), ...values },
          }
        : {
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
            ExpressionAttributeValues: { ':pk': pk(t), ':run': 'RUN#', ...values },
          }),
      ...(conds.length ? { FilterExpression: conds.join(' AND '), ExpressionAttributeNames: names } : {}),
    },
    {
      limit,
      startKey,
      ...(refine ? { refine: (items) => refine(items as (RunItem & Record<string, unknown>)[]) } : {}),
      keyOf: (i) =>
        f.connection_id
          ? { pk: i.pk as string, sk: i.sk as string, gsi1pk: i.gsi1pk as string, gsi1sk: i.gsi1sk as string }
          : { pk: i.pk as string, sk: i.sk as string },
    },
  );
  return { items: r.items.map(strip), nextKey: r.nextKey };
};
