import { createHash } from 'node:crypto';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { encodeTime, monotonicFactory } from 'ulidx';
import { dynamo } from '../aws';
import { tableName } from '../config';

/**
 * Synced records, one partition per connection and model, with the change feed as a
 * sparse-free index ordered by `feed_cursor`: a ULID minted when a change is written.
 * One writer per connection + sync at a time (the sync lease) keeps a partition's
 * cursors in commit order; readers stop a few seconds short of "now" (SETTLE_MS) so a
 * concurrent writer (webhooks) can't commit a smaller cursor behind a reader.
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
};

export const SETTLE_MS = 3_000;
const nextCursor = monotonicFactory();

export const recordsPk = (tenantId: string, connectionId: string, model: string) =>
  `TENANT#${tenantId}#CONN#${connectionId}#MODEL#${model}`;

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

const batchWrite = async (items: Record<string, unknown>[]): Promise<void> => {
  const table = tableName('records');
  for (let i = 0; i < items.length; i += 25) {
    let requests: unknown[] | undefined = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    // BatchWriteItem may leave items unprocessed under throttling: retry those, backing off.
    for (let attempt = 0; requests && requests.length > 0; attempt++) {
      const r: BatchWriteCommandOutput = await dynamo().send(
        new BatchWriteCommand({ RequestItems: { [table]: requests as never } }),
      );
      requests = r.UnprocessedItems?.[table];
      if (requests?.length) await new Promise((res) => setTimeout(res, Math.min(1000, 50 * 2 ** attempt)));
    }
  }
};

const batchGet = async (pk: string, ids: string[]): Promise<Map<string, RecordItem>> => {
  const table = tableName('records');
  const found = new Map<string, RecordItem>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = unique
      .slice(i, i + 100)
      .map((id) => ({ pk, sk: `REC#${id}` }));
    for (let attempt = 0; keys && keys.length > 0; attempt++) {
      const r: BatchGetCommandOutput = await dynamo().send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of (r.Responses?.[table] ?? []) as RecordItem[]) found.set(item.id, item);
      keys = r.UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined;
      if (keys?.length) await new Promise((res) => setTimeout(res, Math.min(1000, 50 * 2 ** attempt)));
    }
  }
  return found;
};

export type PageCounts = { added: number; updated: number; deleted: number };

/**
 * Applies one page: new records are `added`, changed content (by hash) or a deleted one
 * coming back is `updated`, the rest unchanged (in a full run only their `seen_run`
 * moves, without entering the feed). Idempotent: replaying a page changes nothing.
 */
export const applyPage = async (args: {
  pk: string;
  runId: string;
  full: boolean;
  records: { id: string; data: Record<string, unknown> }[];
  deletedIds: string[];
}): Promise<PageCounts> => {
  const { pk, runId } = args;
  const existing = await batchGet(pk, [...args.records.map((r) => r.id), ...args.deletedIds]);
  const now = new Date().toISOString();
  const writes: Record<string, unknown>[] = [];
  const counts: PageCounts = { added: 0, updated: 0, deleted: 0 };
  const seen = new Set<string>();
  for (const r of args.records) {
    if (seen.has(r.id)) continue; // a provider may repeat an object across pages
    seen.add(r.id);
    const hash = contentHash(r.data);
    const old = existing.get(r.id);
    if (old && old.hash === hash && !old.deleted_at) {
      if (args.full && old.seen_run !== runId) writes.push({ ...old, seen_run: runId });
      continue;
    }
    const action = old ? 'updated' : 'added';
    counts[action]++;
    writes.push({
      pk,
      sk: `REC#${r.id}`,
      feed_pk: pk,
      feed_cursor: nextCursor(),
      id: r.id,
      data: r.data,
      hash,
      first_seen_at: old?.first_seen_at ?? now,
      last_modified_at: now,
      last_action: action,
      seen_run: runId,
    } satisfies RecordItem);
  }
  for (const id of args.deletedIds) {
    const old = existing.get(id);
    if (!old || old.deleted_at || seen.has(id)) continue;
    counts.deleted++;
    writes.push({
      ...old,
      feed_cursor: nextCursor(),
      last_action: 'deleted',
      deleted_at: now,
      last_modified_at: now,
      seen_run: runId,
    });
  }
  await batchWrite(writes);
  return counts;
};

/**
 * After a successful full run: what the provider no longer returns is deleted — except
 * records written since the run started (by a webhook, say): the run may not have been
 * able to see them.
 */
export const deleteUnseen = async (pk: string, runId: string, startedAt: string): Promise<number> => {
  let start: Record<string, unknown> | undefined;
  let deleted = 0;
  const now = new Date().toISOString();
  do {
    const r = await dynamo().send(
      new QueryCommand({
        TableName: tableName('records'),
        KeyConditionExpression: 'pk = :pk',
        FilterExpression:
          'seen_run <> :run AND attribute_not_exists(deleted_at) AND last_modified_at < :started',
        ExpressionAttributeValues: { ':pk': pk, ':run': runId, ':started': startedAt },
        ExclusiveStartKey: start,
      }),
    );
    const items = (r.Items ?? []) as RecordItem[];
    await batchWrite(
      items.map((old) => ({
        ...old,
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

/** A page of the change feed after `after` (exclusive), up to a settled "now". */
export const readFeed = async (
  pk: string,
  after: string | undefined,
  limit: number,
  modifiedAfter?: string,
) => {
  const upper = `${encodeTime(Date.now() - SETTLE_MS, 10)}ZZZZZZZZZZZZZZZZ`;
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName('records'),
      IndexName: 'feed',
      KeyConditionExpression: after
        ? 'feed_pk = :pk AND feed_cursor BETWEEN :after AND :upper'
        : 'feed_pk = :pk AND feed_cursor <= :upper',
      ...(modifiedAfter ? { FilterExpression: 'last_modified_at > :ma' } : {}),
      ExpressionAttributeValues: {
        ':pk': pk,
        ':upper': upper,
        ...(after ? { ':after': `${after}0` } : {}),
        ...(modifiedAfter ? { ':ma': modifiedAfter } : {}),
      },
      Limit: limit,
    }),
  );
  const items = (r.Items ?? []) as RecordItem[];
  // With a filter, the last item *read* may not be returned: resume after it all the same.
  const last = (r.LastEvaluatedKey?.feed_cursor as string | undefined) ?? items.at(-1)?.feed_cursor ?? after;
  return { items, last, more: r.LastEvaluatedKey !== undefined };
};
