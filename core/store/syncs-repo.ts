import { createHash } from 'node:crypto';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';
import { type DueSync, SCHEDULE_SHARDS } from './schedule-repo';

/**
 * Per connection and sync: schedule, status, checkpoint. While enabled (not paused) it
 * carries `schedule_shard` + `next_run_at`, which put it in the sparse schedule index.
 */
export type SyncStatus = 'idle' | 'queued' | 'running' | 'success' | 'error' | 'paused';
export type SyncStateItem = {
  tenant_id: string;
  connection_id: string;
  sync: string;
  model: string;
  frequency: string;
  paused: boolean;
  status: SyncStatus;
  last_sync_date?: string;
  next_sync_date?: string;
  records_count: number;
  error?: string;
  /** Where the running (or interrupted) run continues. */
  checkpoint?: unknown;
  current_run_id?: string;
  /** Start of the last successful run: the next incremental run asks for changes since. */
  last_success_since?: string;
  schedule_shard?: string;
  next_run_at?: string;
  /**
   * The current run's counters, saved with its checkpoint in one write: they move together,
   * so a page replayed after a crash is never counted twice. The run log copies them.
   */
  run_progress?: RunProgress;
  /** The id of a run that turned full midway (`SyncPage.resync`): it stays full when resumed. */
  run_full?: string;
  /** The last successful run's provider cursor (`SyncPage.cursor`), for the next incremental one. */
  sync_cursor?: unknown;
  /**
   * A run that has stored everything and waits for its changes to be visible in the feed
   * (core/syncs/engine.ts `finish`): what its completion needs, until `visible_at`.
   */
  finishing?: RunFinishing;
  /**
   * While a run is queued or running: the shard (`shardOf`) and the run's last sign of life
   * (queued, started, a page saved, a wait re-queued) — the sparse `active` index, read
   * oldest first by the scheduler's sweep (`queryStalled`). Removed when the run ends.
   */
  run_shard?: string;
  heartbeat_at?: string;
  /**
   * The run a worker has started. While it runs, the stored `status` stays `queued` and
   * reads show `running` (`strip`): `schedule_v2` projects `status`, so each stored change
   * of it rewrites the sync's index copy — a run's status goes queued → its outcome in the
   * index, one change fewer a run. Conditions that keep a sync from being queued twice
   * (`status <> queued AND status <> running`) hold either way.
   */
  running_run?: string;
  /**
   * When `running_run` first started (a continuation keeps it). The run item is not written
   * at the start: it keeps `queued` until its progress or its end is written, and reads show
   * it `running` from here (core/syncs/runs.ts `asStarted`) — one write a run fewer on the
   * tenant's runs partition, whose sort key only grows.
   */
  run_started_at?: string;
  /**
   * Epoch ms from which the last run's changes are in the feed: the run ended in the
   * invocation that stored them, and the sync reads `running` until then (core/syncs/syncs.ts
   * `syncView`), as its run does.
   */
  visible_at?: number;
};
export type RunFinishing = {
  run_id: string;
  started_at: string;
  /** Records the run deleted after its last page (a full run's sweep). */
  deleted: number;
  sync_cursor?: unknown;
  /** Epoch ms after which every change the run wrote is in the feed. */
  visible_at: number;
};
export type RunProgress = { run_id: string; added: number; updated: number; deleted: number; pages: number };

const pk = (t: string) => `TENANT#${t}`;
const sk = (c: string, s: string) => `SYNC#${c}#${s}`;
const firstByte = (connectionId: string) => createHash('sha256').update(connectionId).digest()[0] as number;
/** The sync's schedule shard (the `schedule` indexes): one of SCHEDULE_SHARDS. */
export const shardOf = (connectionId: string) => `SHARD#${firstByte(connectionId) % SCHEDULE_SHARDS}`;

/**
 * Shards of the `active` index. It stays at 16: the sweep reads every shard each minute,
 * a run's few heartbeats are far from a partition's limit, and items already in it keep
 * their shard.
 */
export const RUN_SHARDS = 16;
export const runShardOf = (connectionId: string) => `SHARD#${firstByte(connectionId) % RUN_SHARDS}`;

const strip = (i: Record<string, unknown>) => {
  const { pk: _p, sk: _s, ...rest } = i;
  const item = rest as SyncStateItem;
  return item.status === 'queued' &&
    item.running_run !== undefined &&
    item.running_run === item.current_run_id
    ? { ...item, status: 'running' as const }
    : item;
};

export const putSyncIfAbsent = async (item: SyncStateItem): Promise<void> => {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: tableName('state'),
        Item: { pk: pk(item.tenant_id), sk: sk(item.connection_id, item.sync), ...item },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (e) {
    if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
  }
};

export const getSync = async (t: string, c: string, s: string): Promise<SyncStateItem | undefined> => {
  const r = await dynamo().send(
    new GetCommand({ TableName: tableName('state'), Key: { pk: pk(t), sk: sk(c, s) }, ConsistentRead: true }),
  );
  return r.Item ? strip(r.Item) : undefined;
};

/**
 * Many syncs of one tenant, 100 keys a BatchGetItem (strongly consistent, as getSync), keyed
 * `<connection_id>/<sync>`; a missing one is absent.
 */
export const getSyncs = async (
  t: string,
  keys: readonly { connection_id: string; sync: string }[],
): Promise<Map<string, SyncStateItem>> => {
  const out = new Map<string, SyncStateItem>();
  const unique = [...new Map(keys.map((k) => [`${k.connection_id}/${k.sync}`, k])).values()];
  const table = tableName('state');
  for (let i = 0; i < unique.length; i += 100) {
    let keysLeft: Record<string, unknown>[] | undefined = unique
      .slice(i, i + 100)
      .map((k) => ({ pk: pk(t), sk: sk(k.connection_id, k.sync) }));
    for (let attempt = 0; keysLeft && keysLeft.length > 0; attempt++) {
      if (attempt > 0) await new Promise((res) => setTimeout(res, Math.min(1000, 50 * 2 ** attempt)));
      const r: BatchGetCommandOutput = await dynamo().send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: keysLeft, ConsistentRead: true } } }),
      );
      for (const item of r.Responses?.[table] ?? []) {
        const s = strip(item);
        out.set(`${s.connection_id}/${s.sync}`, s);
      }
      keysLeft = r.UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return out;
};

export const listSyncs = async (t: string, c: string): Promise<SyncStateItem[]> => {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName('state'),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': pk(t), ':sk': `SYNC#${c}#` },
      ConsistentRead: true,
    }),
  );
  return (r.Items ?? []).map(strip);
};

/** SET the given fields (undefined values are REMOVEd); `condition` guards the write. */
export const updateSync = async (
  t: string,
  c: string,
  s: string,
  fields: Partial<Record<keyof SyncStateItem, unknown>>,
  options: {
    condition?: string;
    values?: Record<string, unknown>;
    add?: Partial<Record<'records_count', number>>;
  } = {},
): Promise<SyncStateItem | undefined> => {
  const sets: string[] = [];
  const removes: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ...options.values };
  for (const [k, v] of Object.entries(fields)) {
    names[`#${k}`] = k;
    if (v === undefined) removes.push(`#${k}`);
    else {
      sets.push(`#${k} = :${k}`);
      values[`:${k}`] = v;
    }
  }
  const adds = Object.entries(options.add ?? {}).map(([k, v]) => {
    names[`#${k}`] = k;
    values[`:add_${k}`] = v;
    return `#${k} :add_${k}`;
  });
  const expr = [
    sets.length ? `SET ${sets.join(', ')}` : '',
    removes.length ? `REMOVE ${removes.join(', ')}` : '',
    adds.length ? `ADD ${adds.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  try {
    const r = await dynamo().send(
      new UpdateCommand({
        TableName: tableName('state'),
        Key: { pk: pk(t), sk: sk(c, s) },
        UpdateExpression: expr,
        ConditionExpression: options.condition
          ? `attribute_exists(pk) AND (${options.condition})`
          : 'attribute_exists(pk)',
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

/**
 * A worker starts run `runId`: ONE write marks it started (`running_run`, `run_started_at`:
 * the run item is not written for it; see there), puts the sync in the sparse `active` index
 * (a run queued before the index existed joins it here),
 * refreshes its sign of life when `heartbeatAt` is given, and, with `initProgress`, zeroes
 * the run's counters — only if they are not this run's already (a resumed run keeps its
 * own; the caller's read may be older than a duplicate message's pages, so the write checks
 * again and, if they are this run's by now, goes without the zeroing).
 */
export const startRun = async (
  t: string,
  c: string,
  s: string,
  runId: string,
  options: { initProgress: boolean; heartbeatAt?: string | undefined; startedAt: string },
): Promise<SyncStateItem | undefined> => {
  const fields = {
    // `queued` is what the claim stored: unchanged, it costs no index write.
    status: 'queued',
    current_run_id: runId,
    running_run: runId,
    // The run's start, for reads of its run item (which this write spares).
    run_started_at: options.startedAt,
    run_shard: runShardOf(c),
    ...(options.heartbeatAt ? { heartbeat_at: options.heartbeatAt } : {}),
  };
  if (options.initProgress) {
    const started = await updateSync(
      t,
      c,
      s,
      { ...fields, run_progress: { run_id: runId, added: 0, updated: 0, deleted: 0, pages: 0 } },
      {
        condition: 'attribute_not_exists(run_progress) OR run_progress.run_id <> :run',
        values: { ':run': runId },
      },
    );
    if (started) return started;
  }
  return updateSync(t, c, s, fields);
};

/**
 * After a stored page: the checkpoint, the run's counters and the sync's record count in
 * one conditional write (only while `runId` is the sync's current run).
 */
export const savePage = async (
  t: string,
  c: string,
  s: string,
  runId: string,
  page: {
    checkpoint: unknown;
    added: number;
    updated: number;
    deleted: number;
    pages: number;
    full?: boolean;
    /** The run's sign of life for the sweep (the `active` index), when it is due. */
    heartbeatAt?: string;
    /**
     * The run's last page: what its completion needs (`finishing`), in the same write as the
     * page's counters, and only while `runId` is still the sync's current run.
     */
    finishing?: RunFinishing;
  },
): Promise<SyncStateItem | undefined> => {
  const { checkpoint, full, heartbeatAt, finishing, ...counts } = page;
  const names: Record<string, string> = {
    '#p': 'run_progress',
    '#rid': 'run_id',
    '#rc': 'records_count',
    '#cp': 'checkpoint',
  };
  const values: Record<string, unknown> = { ':run': runId, ':rc': counts.added - counts.deleted };
  const sets = Object.entries(counts).map(([k, v]) => {
    names[`#${k}`] = k;
    values[`:${k}`] = v;
    return `#p.#${k} = #p.#${k} + :${k}`;
  });
  if (checkpoint !== undefined) {
    sets.push('#cp = :cp');
    values[':cp'] = checkpoint;
  }
  if (full) {
    names['#full'] = 'run_full';
    sets.push('#full = :run');
  }
  if (heartbeatAt) {
    names['#hb'] = 'heartbeat_at';
    values[':hb'] = heartbeatAt;
    sets.push('#hb = :hb');
  }
  if (finishing) {
    names['#fin'] = 'finishing';
    names['#cur'] = 'current_run_id';
    values[':fin'] = finishing;
    sets.push('#fin = :fin');
  }
  try {
    const r = await dynamo().send(
      new UpdateCommand({
        TableName: tableName('state'),
        Key: { pk: pk(t), sk: sk(c, s) },
        UpdateExpression: `SET ${sets.join(', ')} ${checkpoint === undefined ? 'REMOVE #cp ' : ''}ADD #rc :rc`,
        ConditionExpression: finishing ? '#p.#rid = :run AND #cur = :run' : '#p.#rid = :run',
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

export type ActiveSync = {
  tenant_id: string;
  connection_id: string;
  sync: string;
  current_run_id?: string;
  heartbeat_at: string;
};

/**
 * Syncs of one shard whose run showed no sign of life since `beforeIso`, oldest first, at
 * most `limit`: one Query on the sparse `active` index (eventually consistent, so callers
 * read the item again before acting).
 */
export const queryStalled = async (
  shard: number,
  beforeIso: string,
  limit: number,
): Promise<ActiveSync[]> => {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName('state'),
      IndexName: 'active',
      KeyConditionExpression: 'run_shard = :s AND heartbeat_at < :before',
      ExpressionAttributeValues: { ':s': `SHARD#${shard}`, ':before': beforeIso },
      Limit: limit,
    }),
  );
  return (r.Items ?? []).map((i) => strip(i) as unknown as ActiveSync);
};

const conditionFailed = (e: unknown) => (e as Error).name === 'ConditionalCheckFailedException';

/**
 * The scheduler's claim, straight from a schedule index item: ONE conditional write moves the
 * sync's next run forward and makes `runId` its queued run — only if its next run is still
 * the one the index showed (so no other tick or shard worker took it), it is not paused, and
 * no run is queued or running. `schedule_shard` is rewritten too: a sync written under the
 * old 16 shards moves to its own of the 256. False when the condition failed.
 */
export const claimDue = async (
  d: DueSync,
  run: { id: string; queued_at: string },
  nextRunAt: string,
): Promise<boolean> => {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName('state'),
        Key: { pk: pk(d.tenant_id), sk: sk(d.connection_id, d.sync) },
        UpdateExpression:
          'SET next_run_at = :next, schedule_shard = :shard, #status = :queued, current_run_id = :run, run_shard = :rs, heartbeat_at = :at REMOVE #error',
        ConditionExpression:
          'attribute_exists(pk) AND next_run_at = :seen AND (attribute_not_exists(paused) OR paused = :false) AND #status <> :queued AND #status <> :running',
        ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
        ExpressionAttributeValues: {
          ':next': nextRunAt,
          ':shard': shardOf(d.connection_id),
          ':queued': 'queued',
          ':running': 'running',
          ':run': run.id,
          // In the sparse `active` index until the run ends: the sweep ends it if it shows no life.
          ':rs': runShardOf(d.connection_id),
          ':at': run.queued_at,
          ':seen': d.next_run_at,
          ':false': false,
        },
      }),
    );
    return true;
  } catch (e) {
    if (conditionFailed(e)) return false;
    throw e;
  }
};

/**
 * Moves a due sync's next run forward without queueing one (its run is still queued or
 * running, or its connection is not active), only if it is still the one the index showed.
 */
export const moveDue = async (d: DueSync, nextRunAt: string): Promise<boolean> => {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName('state'),
        Key: { pk: pk(d.tenant_id), sk: sk(d.connection_id, d.sync) },
        UpdateExpression: 'SET next_run_at = :next, schedule_shard = :shard',
        ConditionExpression: 'attribute_exists(pk) AND next_run_at = :seen',
        ExpressionAttributeValues: {
          ':next': nextRunAt,
          ':shard': shardOf(d.connection_id),
          ':seen': d.next_run_at,
        },
      }),
    );
    return true;
  } catch (e) {
    if (conditionFailed(e)) return false;
    throw e;
  }
};
