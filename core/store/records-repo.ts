import { createHash } from 'node:crypto';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { encodeTime, monotonicFactory } from 'ulidx';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';
import { mergeShards, shardKey, shardKeys } from './shard-merge';

/**
 * Synced records, one partition per connection and model, with the change feed as a
 * sparse-free index ordered by `feed_cursor`: a ULID minted when a change is written.
 * The feed of one connection and model is split over FEED_SHARDS index partitions
 * (`feed_pk` = `<pk>#SHARD#<n>`, n from the record id), merged by cursor when read.
 * Readers stop a few seconds short of "now" (SETTLE_MS) so a concurrent writer (a webhook
 * beside a run, another shard's writes) can't commit a smaller cursor behind a reader.
 */
export type RecordItem = {
  pk: string;
  sk: string;
  feed_pk: string;
  feed_cursor: string;
  id: string;
  data: Record<string, unknown>;
  hash: string;
  first_seen_at: string;
  last_modified_at: string;
  last_action: 'added' | 'updated' | 'deleted';
  deleted_at?: string;
  /** The last run that saw it: a full run deletes what it didn't see. */
  seen_run: string;
  /**
   * The sync that wrote it. Syncs of one model share the partition (Linear `projects` and
   * `cycles`), and a full run may only delete what its own sync wrote.
   */
  sync?: string;
  /** The provider's object did not fit a DynamoDB item: its longest values were cut (fitRecord). */
  truncated?: boolean;
};

export const SETTLE_MS = 3_000;

/**
 * DynamoDB refuses an item over 400 KB, and BatchWriteItem then refuses the whole batch —
 * on every retry, so one huge issue description would fail its run forever. What is
 * written stays under this (JSON bytes, which count at least what DynamoDB counts for
 * strings, maps and lists, with room for the item's own attributes).
 */
export const MAX_RECORD_BYTES = 350_000;
const bytesOf = (v: unknown): number => Buffer.byteLength(JSON.stringify(v), 'utf8');
const CUT_MARK = '… [truncated]';

/**
 * The record's data cut to fit MAX_RECORD_BYTES: `raw` (fields beyond the model) goes
 * first, then the longest strings are halved, then the longest arrays, until it fits.
 * Every field of the model stays, with its type, so the record still reads as its model.
 */
export const fitRecord = (
  data: Record<string, unknown>,
  limit = MAX_RECORD_BYTES,
): { data: Record<string, unknown>; truncated: boolean } => {
  if (bytesOf(data) <= limit) return { data, truncated: false };
  const copy = structuredClone(data);
  if ('raw' in copy) delete copy.raw;
  // Each pass halves the largest string or array found anywhere in the record.
  for (let pass = 0; pass < 200 && bytesOf(copy) > limit; pass++) {
    let best: { holder: Record<string, unknown> | unknown[]; key: string | number; size: number } | undefined;
    const visit = (holder: Record<string, unknown> | unknown[], key: string | number, v: unknown) => {
      if (typeof v === 'string' || Array.isArray(v)) {
        const size = typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : bytesOf(v);
        if (!best || size > best.size) best = { holder, key, size };
      }
      if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v))
          visit(v as Record<string, unknown>, Array.isArray(v) ? Number(k) : k, x);
    };
    for (const [k, v] of Object.entries(copy)) visit(copy, k, v);
    const target = best as { holder: Record<string, unknown>; key: string; size: number } | undefined;
    if (!target || target.size < 64) break;
    const v = target.holder[target.key];
    target.holder[target.key] =
      typeof v === 'string'
        ? `${[...v].slice(0, Math.floor([...v].length / 2)).join('')}${CUT_MARK}`
        : (v as unknown[]).slice(0, Math.floor((v as unknown[]).length / 2));
  }
  return { data: copy, truncated: true };
};
const nextCursor = monotonicFactory();

export const recordsPk = (tenantId: string, connectionId: string, model: string) =>
  `TENANT#${tenantId}#CONN#${connectionId}#MODEL#${model}`;

/**
 * Feed partitions per connection and model. The table's own partition copes with a
 * backfill (record ids are spread over its sort keys, so DynamoDB splits it for heat), but
 * the feed's sort key only grows: unsharded, every change of a model lands at the end of one
 * index partition, which takes 1,000 write units a second (a unit per KB of the item, the
 * index projecting all of it). The busiest connection the capacity bench models
 * (`npm run bench -- capacity`, docs/scale.md): one GitHub organisation's 2,000 webhooks/s
 * and a 2,000-records/s backfill on the same connection, ~1 KB a change plus its feed copy:
 * 4,000 units/s — 0.57 of a partition's limit a shard at 8 shards (the bench's measure,
 * against a target of 0.5), 0.31 at 16. The sync worker alone (~4,840 records/s, `npm run
 * bench -- sync`) is ~300 a shard. Past that, the writer's BatchWriteItem retries of
 * throttled items slow it to what the shards take. Reading costs one Query per shard (and
 * one for the legacy partition) per page, run together, each asked for the page's
 * `limit + 1`: 17 Queries (≥ 8.5 read units) a page, so no more shards than the write rate
 * needs.
 */
export const FEED_SHARDS = 16;

/**
 * The record's feed partition, from its id: all changes of one record stay in one shard,
 * in order, and its index item never jumps between partitions (the index is eventually
 * consistent: a move could briefly show it in both, or neither).
 */
export const feedPk = (pk: string, id: string) => shardKey(pk, id, FEED_SHARDS);

/** Stable hash of a record's content: object keys sorted, so key order never counts as a change. */
export const contentHash = (data: unknown): string => {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(data)))
    .digest('base64url');
};

const putChunk = async (table: string, items: Record<string, unknown>[]): Promise<void> => {
  let requests: unknown[] | undefined = items.map((Item) => ({ PutRequest: { Item } }));
  // BatchWriteItem may leave items unprocessed under throttling: retry those, backing off.
  for (let attempt = 0; requests && requests.length > 0; attempt++) {
    const r: BatchWriteCommandOutput = await dynamo().send(
      new BatchWriteCommand({ RequestItems: { [table]: requests as never } }),
    );
    requests = r.UnprocessedItems?.[table];
    if (requests?.length) await new Promise((res) => setTimeout(res, Math.min(1000, 50 * 2 ** attempt)));
  }
};

/**
 * Puts items 25 a call (BatchWriteItem's limit), a page's calls concurrently: they touch
 * distinct keys, and the caller saves its checkpoint only after all of them are stored.
 */
const batchWrite = async (items: Record<string, unknown>[]): Promise<void> => {
  const table = tableName('records');
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  await Promise.all(chunks.map((c) => putChunk(table, c)));
};

/** What a page needs to know of a stored record to tell added, updated and unchanged apart. */
const SUMMARY = ['id', 'hash', 'deleted_at', 'seen_run', 'first_seen_at'] as const;
export type Summary = Pick<RecordItem, (typeof SUMMARY)[number]> & {
  /** The provider's `updated_at` of the stored data: webhooks arriving out of order can't regress it. */
  data?: { updated_at?: unknown };
};

/**
 * Stored records by id, 100 keys a call. With `summary`, only the fields of SUMMARY: the
 * record's data stays in the table, which keeps the common case (new or changed records)
 * from reading back and unmarshalling every page it is about to overwrite.
 */
const batchGet = async <S extends boolean>(
  pk: string,
  ids: string[],
  summary: S,
): Promise<Map<string, S extends true ? Summary : RecordItem>> => {
  const table = tableName('records');
  const found = new Map<string, S extends true ? Summary : RecordItem>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = unique
      .slice(i, i + 100)
      .map((id) => ({ pk, sk: `REC#${id}` }));
    for (let attempt = 0; keys && keys.length > 0; attempt++) {
      const r: BatchGetCommandOutput = await dynamo().send(
        new BatchGetCommand({
          RequestItems: {
            [table]: {
              Keys: keys,
              ConsistentRead: true,
              ...(summary
                ? {
                    ProjectionExpression: [...SUMMARY.map((f) => `#${f}`), '#data.#updated_at'].join(', '),
                    ExpressionAttributeNames: {
                      ...Object.fromEntries(SUMMARY.map((f) => [`#${f}`, f])),
                      '#data': 'data',
                      '#updated_at': 'updated_at',
                    },
                  }
                : {}),
            },
          },
        }),
      );
      for (const item of r.Responses?.[table] ?? []) found.set(item.id as string, item as never);
      keys = r.UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined;
      if (keys?.length) await new Promise((res) => setTimeout(res, Math.min(1000, 50 * 2 ** attempt)));
    }
  }
  return found;
};

/** Stored records (by id), whole: for a webhook effect that keeps fields of the stored data. */
export const readRecords = (pk: string, ids: string[]): Promise<Map<string, RecordItem>> =>
  batchGet(pk, ids, false);

export type PageCounts = { added: number; updated: number; deleted: number };

/** What is stored of these records (by id), for `applyPage`: summaries, not their data. */
export const lookupRecords = (pk: string, ids: string[]): Promise<Map<string, Summary>> =>
  batchGet(pk, ids, true);

/**
 * Whether the partition holds any record at all (deleted ones too): a writer holding the
 * partition's lease that finds it empty knows every record in it is one it wrote itself.
 */
export const hasRecords = async (pk: string): Promise<boolean> => {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName('records'),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ProjectionExpression: 'pk',
      ConsistentRead: true,
      Limit: 1,
    }),
  );
  return (r.Items?.length ?? 0) > 0;
};

/**
 * Applies one page: new records are `added`, changed content (by hash) or a deleted one
 * coming back is `updated`, the rest unchanged (in a full run only their `seen_run`
 * moves, without entering the feed). Idempotent: replaying a page changes nothing.
 *
 * `existing` is `lookupRecords` of the page's ids, which the engine reads while the
 * previous page is still being written; `recent` is what that previous page wrote
 * (`written` of its answer), and overrides the lookup for records on both pages.
 */
export const applyPage = async (args: {
  pk: string;
  runId: string;
  sync?: string;
  full: boolean;
  records: { id: string; data: Record<string, unknown> }[];
  deletedIds: string[];
  existing: Map<string, Summary>;
  recent?: Map<string, Summary>;
}): Promise<{ counts: PageCounts; written: Map<string, Summary> }> => {
  const { pk, runId } = args;
  const existing = new Map(args.existing);
  for (const [id, summary] of args.recent ?? []) existing.set(id, summary);
  const now = new Date().toISOString();
  const writes: Record<string, unknown>[] = [];
  const counts: PageCounts = { added: 0, updated: 0, deleted: 0 };
  const seen = new Set<string>();
  // Stored records that are rewritten as they are (a full run's `seen_run` mark, a
  // deletion): read whole, in one more call, only when there are any.
  const keepWhole: string[] = [];
  for (const r of args.records) {
    if (seen.has(r.id)) continue; // a provider may repeat an object across pages
    seen.add(r.id);
    const hash = contentHash(r.data);
    const old = existing.get(r.id);
    if (old && old.hash === hash && !old.deleted_at) {
      if (args.full && old.seen_run !== runId) keepWhole.push(r.id);
      continue;
    }
    const action = old ? 'updated' : 'added';
    counts[action]++;
    // The hash stays the provider's: an object that is still too large is unchanged next run.
    const fit = fitRecord(r.data);
    writes.push({
      pk,
      sk: `REC#${r.id}`,
      feed_pk: feedPk(pk, r.id),
      feed_cursor: nextCursor(),
      id: r.id,
      data: fit.data,
      ...(fit.truncated ? { truncated: true } : {}),
      hash,
      first_seen_at: old?.first_seen_at ?? now,
      last_modified_at: now,
      last_action: action,
      seen_run: runId,
      ...(args.sync ? { sync: args.sync } : {}),
    } satisfies RecordItem);
  }
  const gone = args.deletedIds.filter((id) => {
    const old = existing.get(id);
    return old && !old.deleted_at && !seen.has(id);
  });
  const whole =
    keepWhole.length + gone.length ? await batchGet(pk, [...keepWhole, ...gone], false) : new Map();
  for (const id of keepWhole) {
    const old = whole.get(id);
    // Its cursor and feed_pk stay as they are: moving a settled cursor to another
    // partition (a legacy item to its shard) could hide it from a reader passing by.
    if (old) writes.push({ ...old, seen_run: runId });
  }
  for (const id of new Set(gone)) {
    const old = whole.get(id);
    if (!old || old.deleted_at) continue;
    counts.deleted++;
    writes.push({
      ...old,
      // A new cursor, so a legacy (unsharded) item may move to its shard now.
      feed_pk: feedPk(pk, old.id),
      feed_cursor: nextCursor(),
      last_action: 'deleted',
      deleted_at: now,
      last_modified_at: now,
      seen_run: runId,
    });
  }
  await batchWrite(writes);
  const written = new Map<string, Summary>();
  for (const w of writes as RecordItem[]) {
    written.set(w.id, {
      id: w.id,
      hash: w.hash,
      seen_run: w.seen_run,
      first_seen_at: w.first_seen_at,
      ...(w.deleted_at ? { deleted_at: w.deleted_at } : {}),
      data: { updated_at: w.data.updated_at },
    });
  }
  return { counts, written };
};

/**
 * After a successful full run: what the provider no longer returns is deleted — except
 * records written since the run started (by a webhook, say): the run may not have been
 * able to see them.
 */
export const deleteUnseen = async (
  pk: string,
  runId: string,
  startedAt: string,
  sync?: string,
): Promise<number> => {
  let start: Record<string, unknown> | undefined;
  let deleted = 0;
  const now = new Date().toISOString();
  do {
    const r = await dynamo().send(
      new QueryCommand({
        TableName: tableName('records'),
        KeyConditionExpression: 'pk = :pk',
        FilterExpression:
          'seen_run <> :run AND attribute_not_exists(deleted_at) AND last_modified_at < :started' +
          (sync ? ' AND (attribute_not_exists(#sync) OR #sync = :sync)' : ''),
        ExpressionAttributeValues: {
          ':pk': pk,
          ':run': runId,
          ':started': startedAt,
          ...(sync ? { ':sync': sync } : {}),
        },
        ...(sync ? { ExpressionAttributeNames: { '#sync': 'sync' } } : {}),
        ExclusiveStartKey: start,
      }),
    );
    const items = (r.Items ?? []) as RecordItem[];
    await batchWrite(
      items.map((old) => ({
        ...old,
        feed_pk: feedPk(pk, old.id),
        feed_cursor: nextCursor(),
        last_action: 'deleted',
        deleted_at: now,
        last_modified_at: now,
      })),
    );
    deleted += items.length;
    start = r.LastEvaluatedKey;
  } while (start);
  return deleted;
};

/**
 * A page of the change feed after `after` (exclusive), up to a settled "now": the shards
 * and the legacy partition (records last written before the feed was sharded, `feed_pk` =
 * the record's pk) merged by cursor — see mergeShards for why pages are exact. Their range
 * is fixed before the read: `upper` is SETTLE_MS in the past, and a change is committed
 * within SETTLE_MS of minting its cursor, so no change can appear later at or below a
 * cursor a reader was given, in any shard. A change written while a client pages gets a
 * cursor past every page handed out so far and comes in a later page, once; a record
 * changed again before the reader reached it shows once, at its new cursor.
 */
export const readFeed = async (
  pk: string,
  after: string | undefined,
  limit: number,
  modifiedAfter?: string,
) => {
  const upper = `${encodeTime(Date.now() - SETTLE_MS, 10)}ZZZZZZZZZZZZZZZZ`;
  const page = await mergeShards<RecordItem>({
    queries: shardKeys(pk, FEED_SHARDS).map((key) => ({
      TableName: tableName('records'),
      IndexName: 'feed',
      KeyConditionExpression: after
        ? 'feed_pk = :pk AND feed_cursor BETWEEN :after AND :upper'
        : 'feed_pk = :pk AND feed_cursor <= :upper',
      ...(modifiedAfter ? { FilterExpression: 'last_modified_at > :ma' } : {}),
      ExpressionAttributeValues: {
        ':pk': key,
        ':upper': upper,
        // The smallest string past `after`: BETWEEN is inclusive.
        ...(after ? { ':after': `${after}0` } : {}),
        ...(modifiedAfter ? { ':ma': modifiedAfter } : {}),
      },
    })),
    sortKey: 'feed_cursor',
    descending: false,
    limit,
  });
  // With a filter, the page may stop at a cursor read but not returned: resume after it.
  return { items: page.items, last: page.last ?? after, more: page.more };
};
