import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  applyPage,
  deleteUnseen,
  lookupRecords,
  readFeed,
  recordsPk,
  SETTLE_MS,
} from '../../core/store/records-repo';

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
