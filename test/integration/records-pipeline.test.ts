import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { InitializeHandler, InitializeHandlerArguments } from '@smithy/types';
import { monotonicFactory } from 'ulidx';
import { describe, expect, it } from 'vitest';
import { dynamo } from '../../core/platform/aws';
import { tableName } from '../../core/platform/config';
import {
  applyPage,
  deleteUnseen,
  FEED_SHARDS,
  feedPk,
  lookupRecords,
  type RecordItem,
  readFeed,
  recordsPk,
  SETTLE_MS,
} from '../../core/store/records-repo';
import { shardKeys, shardOf } from '../../core/store/shard-merge';

/**
 * The engine looks up page N+1's stored records while page N is still being written.
 * A record on both pages (a provider that shifts its pages while we read them) must be
 * compared with what page N wrote, not with the stale lookup: once in the feed when it
 * didn't change, `updated` when it did, never `added` twice.
 */
const rec = (id: string, title: string) => ({ id, data: { id, title } });

const feedOf = async (pk: string) => {
  await new Promise((r) => setTimeout(r, SETTLE_MS + 50));
  return (await readFeed(pk, undefined, 100)).items.map((i) => [i.id, i.last_action]);
};

describe('a page whose lookup ran before the previous page was written', () => {
  it('compares a record on both pages with what the previous page wrote', async () => {
    const pk = recordsPk(`t_${randomUUID()}`, 'conn_pipeline', 'work_item');
    const page1 = [rec('1', 'a'), rec('2', 'b')];
    const page2 = [rec('2', 'b'), rec('3', 'c'), rec('1', 'a, edited')];

    // The engine's order: page 2's lookup overlaps page 1's writes; here, at its worst,
    // it reads before any of them land.
    const lookup1 = await lookupRecords(
      pk,
      page1.map((r) => r.id),
    );
    const stale = await lookupRecords(
      pk,
      page2.map((r) => r.id),
    );
    const first = await applyPage({
      pk,
      runId: 'run_1',
      full: false,
      records: page1,
      deletedIds: [],
      existing: lookup1,
    });
    const second = await applyPage({
      pk,
      runId: 'run_1',
      full: false,
      records: page2,
      deletedIds: [],
      existing: stale,
      recent: first.written,
    });

    expect(first.counts).toEqual({ added: 2, updated: 0, deleted: 0 });
    // '2' unchanged, '1' edited, '3' new.
    expect(second.counts).toEqual({ added: 1, updated: 1, deleted: 0 });
    expect(await feedOf(pk)).toEqual([
      ['2', 'added'],
      ['3', 'added'],
      ['1', 'updated'],
    ]);
  });

  it("without the previous page's writes the stale lookup would count them again", async () => {
    // The check above can fail: the same pages without `recent` double-count.
    const pk = recordsPk(`t_${randomUUID()}`, 'conn_pipeline', 'work_item');
    const page1 = [rec('1', 'a')];
    const page2 = [rec('1', 'a')];
    const stale = await lookupRecords(pk, ['1']);
    await applyPage({ pk, runId: 'r', full: false, records: page1, deletedIds: [], existing: new Map() });
    const second = await applyPage({
      pk,
      runId: 'r',
      full: false,
      records: page2,
      deletedIds: [],
      existing: stale,
    });
    expect(second.counts.added).toBe(1);
  });
});

describe('two syncs of one model (Linear projects and cycles)', () => {
  it("a full run of one deletes only what its own sync wrote and didn't see", async () => {
    const pk = recordsPk(`t_${randomUUID()}`, 'conn_shared', 'project');
    const write = (sync: string, runId: string, records: ReturnType<typeof rec>[]) =>
      applyPage({ pk, runId, sync, full: true, records, deletedIds: [], existing: new Map() });
    await write('projects', 'run_p1', [rec('p1', 'a'), rec('p2', 'b')]);
    await write('cycles', 'run_c1', [rec('c1', 'x')]);
    const startedAt = new Date(Date.now() + 1).toISOString();
    await new Promise((r) => setTimeout(r, 5));
    // The next full `projects` run sees p1 only.
    const existing = await lookupRecords(pk, ['p1']);
    await applyPage({
      pk,
      runId: 'run_p2',
      sync: 'projects',
      full: true,
      records: [rec('p1', 'a')],
      deletedIds: [],
      existing,
    });
    expect(await deleteUnseen(pk, 'run_p2', startedAt, 'projects')).toBe(1);
    const feed = await feedOf(pk);
    expect(feed).toContainEqual(['p2', 'deleted']);
    expect(feed).toContainEqual(['c1', 'added']);
  });
});

/** Record ids whose shards cover every feed shard, `per` in each. */
const idsOverEveryShard = (prefix: string, shards: number, per: number): string[] => {
  const ids: string[] = [];
  const count = new Array<number>(shards).fill(0);
  for (let i = 0; ids.length < shards * per; i++) {
    const id = `${prefix}${i}`;
    const n = shardOf(id, shards);
    if ((count[n] as number) < per) {
      count[n] = (count[n] as number) + 1;
      ids.push(id);
    }
  }
  return ids;
};

/** Every index item of one feed, read partition by partition — not through readFeed. */
const indexOf = async (pk: string) => {
  const byPartition = new Map<string, RecordItem[]>();
  for (const key of shardKeys(pk, FEED_SHARDS)) {
    const r = await dynamo().send(
      new QueryCommand({
        TableName: tableName('records'),
        IndexName: 'feed',
        KeyConditionExpression: 'feed_pk = :pk',
        ExpressionAttributeValues: { ':pk': key },
      }),
    );
    byPartition.set(key, (r.Items ?? []) as RecordItem[]);
  }
  return byPartition;
};

/** Feed Queries the test process sends, counted per readFeed call. */
const countFeedQueries = () => {
  const counter = { queries: 0 };
  const name = `countFeedQueries-${randomUUID()}`;
  dynamo().middlewareStack.add(
    ((next: InitializeHandler<object, object>, context: { commandName?: string }) =>
      async (args: InitializeHandlerArguments<object>) => {
        if (/^Query(Command)?$/.test(context.commandName ?? '')) {
          if ((args.input as { IndexName?: string }).IndexName === 'feed') counter.queries++;
        }
        return next(args);
      }) as never,
    { step: 'initialize', name },
  );
  return { counter, stop: () => dynamo().middlewareStack.remove(name) };
};

describe('the change feed, sharded', () => {
  it('pages over every shard and the legacy partition: each change once, in cursor order, writes during the walk included', async () => {
    const pk = recordsPk(`t_${randomUUID()}`, 'conn_feed', 'work_item');
    // Written before the feed was sharded: feed_pk is the record's pk, cursors a minute old.
    const legacyCursor = monotonicFactory();
    const minuteAgo = Date.now() - 60_000;
    const legacy = ['old_1', 'old_2', 'old_3', 'old_4', 'old_5'].map((id, i) => ({
      pk,
      sk: `REC#${id}`,
      feed_pk: pk,
      feed_cursor: legacyCursor(minuteAgo + i),
      id,
      data: { id, title: 'before sharding' },
      hash: 'h',
      first_seen_at: new Date(minuteAgo).toISOString(),
      last_modified_at: new Date(minuteAgo).toISOString(),
      last_action: 'added' as const,
      seen_run: 'run_0',
    }));
    await dynamo().send(
      new BatchWriteCommand({
        RequestItems: { [tableName('records')]: legacy.map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
    const ids = idsOverEveryShard('rec_', FEED_SHARDS, 4);
    await applyPage({
      pk,
      runId: 'run_1',
      full: false,
      records: ids.map((id) => rec(id, 'first')),
      deletedIds: [],
      existing: new Map(),
    });
    const before = await indexOf(pk);
    // Every shard and the legacy partition hold changes.
    for (const [key, items] of before) expect(items.length, key).toBeGreaterThanOrEqual(4);
    const initial = [...before.values()].flat();
    await new Promise((r) => setTimeout(r, SETTLE_MS + 50));

    const limit = 3;
    const walked: RecordItem[] = [];
    const queriesPerPage: number[] = [];
    const count = countFeedQueries();
    let after: string | undefined;
    let pages = 0;
    const lastInitial = initial.reduce((a, b) => (a.feed_cursor > b.feed_cursor ? a : b));
    try {
      const walk = async () => {
        for (;;) {
          const q0 = count.counter.queries;
          const page = await readFeed(pk, after, limit);
          queriesPerPage.push(count.counter.queries - q0);
          expect(page.items.length).toBeLessThanOrEqual(limit);
          walked.push(...page.items);
          after = page.last;
          pages++;
          if (pages === 1) {
            // While the client pages: one change it has read and one it has not reached
            // are changed again, a legacy one it has read too, and a new record comes.
            const seen = page.items.find((i) => i.id.startsWith('old_')) as RecordItem;
            const existing = await lookupRecords(pk, [seen.id, 'rec_0', lastInitial.id]);
            await applyPage({
              pk,
              runId: 'run_2',
              full: false,
              records: [rec(seen.id, 'edited'), rec(lastInitial.id, 'edited'), rec('rec_new', 'new')],
              deletedIds: [],
              existing,
            });
          }
          if (page.items.length === 0 && !page.more) return;
        }
      };
      await walk();
      // Caught up with what had settled; the changes made while paging come once settled.
      await new Promise((r) => setTimeout(r, SETTLE_MS + 50));
      await walk();
    } finally {
      count.stop();
    }

    // One Query per shard and one for the legacy partition, every page.
    expect(new Set(queriesPerPage)).toEqual(new Set([FEED_SHARDS + 1]));
    // In cursor order, strictly: nothing repeated.
    const cursors = walked.map((i) => i.feed_cursor);
    expect(cursors).toEqual([...cursors].sort());
    expect(new Set(cursors).size).toBe(cursors.length);
    // Nothing skipped: every change now in the feed was walked, each legacy and shard one.
    const final = [...(await indexOf(pk)).values()].flat();
    expect(final).toHaveLength(legacy.length + ids.length + 1);
    for (const i of final) expect(cursors, i.id).toContain(i.feed_cursor);
    // The record changed before the reader reached it shows once, at its new cursor; the
    // ones changed after they were read show twice (two changes); the rest once.
    const times = (id: string) => walked.filter((i) => i.id === id).length;
    expect(times(lastInitial.id)).toBe(1);
    expect(walked.find((i) => i.id === lastInitial.id)?.data.title).toBe('edited');
    const editedLegacy = walked.find(
      (i) => i.id.startsWith('old_') && i.data.title === 'edited',
    ) as RecordItem;
    expect(times(editedLegacy.id)).toBe(2);
    expect(
      walked
        .filter((i) => !initial.some((x) => x.feed_cursor === i.feed_cursor))
        .map((i) => i.id)
        .sort(),
    ).toEqual([editedLegacy.id, lastInitial.id, 'rec_new'].sort());
    // The edited legacy record moved to its shard with its new cursor.
    expect(final.find((i) => i.id === editedLegacy.id)?.feed_pk).toMatch(/#SHARD#\d+$/);
    expect(walked).toHaveLength(initial.length + 2);
  });

  it('with modified_after, pages stop where a shard stopped reading and resume there: each match once, in order', async () => {
    // DynamoDB applies Limit before the filter, so a shard may stop at an item it read but
    // dropped; the page must end there, not at the last match of a shard that read further.
    const pk = recordsPk(`t_${randomUUID()}`, 'conn_filter', 'work_item');
    const cursor = monotonicFactory();
    const minuteAgo = Date.now() - 60_000;
    const since = new Date(minuteAgo - 1000).toISOString();
    // In cursor order: shard 0 first has eight changes the filter drops, then one it keeps;
    // every other shard has two it keeps and one it drops, all later. Read 3 a shard (limit
    // 2 + 1), shard 0 stops at its third dropped change while the others already hold
    // matches past it: a page that ended at those would skip shard 0's match.
    const byShard = new Map<number, string[]>();
    for (let i = 0; [...byShard.values()].flat().length < FEED_SHARDS * 9; i++) {
      const id = `flt_${i}`;
      const n = shardOf(id, FEED_SHARDS);
      const list = byShard.get(n) ?? [];
      if (list.length < 9) byShard.set(n, [...list, id]);
    }
    const shardIds = (n: number) => byShard.get(n) as string[];
    const layout: [string, boolean][] = [
      ...shardIds(0)
        .slice(0, 8)
        .map((id): [string, boolean] => [id, false]),
      [shardIds(0)[8] as string, true],
    ];
    for (let n = 1; n < FEED_SHARDS; n++)
      layout.push(
        [shardIds(n)[0] as string, true],
        [shardIds(n)[1] as string, false],
        [shardIds(n)[2] as string, true],
      );
    const items = layout.map(([id, kept], i) => ({
      pk,
      sk: `REC#${id}`,
      feed_pk: feedPk(pk, id),
      feed_cursor: cursor(minuteAgo + i),
      id,
      data: { id },
      hash: 'h',
      first_seen_at: since,
      last_modified_at: kept ? new Date(minuteAgo).toISOString() : '2020-01-01T00:00:00.000Z',
      last_action: 'added' as const,
      seen_run: 'run_0',
    }));
    for (let i = 0; i < items.length; i += 25)
      await dynamo().send(
        new BatchWriteCommand({
          RequestItems: {
            [tableName('records')]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
          },
        }),
      );
    const walked: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await readFeed(pk, after, 2, since);
      walked.push(...page.items.map((i) => i.feed_cursor));
      after = page.last;
      if (!page.more) break;
    }
    const matching = items.filter((i) => i.last_modified_at > since).map((i) => i.feed_cursor);
    expect(matching).toHaveLength(1 + 2 * (FEED_SHARDS - 1));
    expect(walked).toEqual(matching);
  });
});
