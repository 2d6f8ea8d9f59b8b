import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  applyPage,
  fitRecord,
  MAX_RECORD_BYTES,
  readFeed,
  recordsPk,
  SETTLE_MS,
} from '../../core/store/records-repo';

/**
 * DynamoDB refuses an item over 400 KB and BatchWriteItem then refuses the whole batch, on
 * every retry: one huge provider object would fail its run forever. It is stored cut to fit,
 * flagged `truncated`, and the rest of its page with it.
 */
const huge = (n: number) => 'é'.repeat(n); // two bytes a character in UTF-8

describe('a record larger than DynamoDB takes', () => {
  it('is stored truncated and flagged, with the rest of its page, and stays unchanged on a replay', async () => {
    const pk = recordsPk(`t_${randomUUID()}`, 'conn_size', 'work_item');
    const big = {
      title: 'Log dump',
      description: huge(400_000),
      labels: Array.from({ length: 5_000 }, (_, i) => `label-${i}-${'x'.repeat(20)}`),
      raw: { body: huge(100_000) },
      updated_at: '2026-12-01T10:00:00.000Z',
    };
    const page = [
      { id: 'small_1', data: { title: 'one', description: null } },
      { id: 'big', data: big },
      { id: 'small_2', data: { title: 'two', description: 'fine' } },
    ];
    const first = await applyPage({
      pk,
      runId: 'run_1',
      full: true,
      records: page,
      deletedIds: [],
      existing: new Map(),
    });
    expect(first.counts).toEqual({ added: 3, updated: 0, deleted: 0 });

    await new Promise((r) => setTimeout(r, SETTLE_MS + 50));
    const feed = (await readFeed(pk, undefined, 10)).items;
    expect(feed.map((i) => i.id).sort()).toEqual(['big', 'small_1', 'small_2']);
    const stored = feed.find((i) => i.id === 'big');
    expect(stored?.truncated).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(stored?.data))).toBeLessThanOrEqual(MAX_RECORD_BYTES);
    expect(stored?.data.title).toBe('Log dump');
    expect(stored?.data.description).toMatch(/^é+… \[truncated\]$/);
    expect(stored?.data.updated_at).toBe(big.updated_at);
    expect(stored?.data.raw).toBeUndefined();
    expect(feed.find((i) => i.id === 'small_1')?.truncated).toBeUndefined();

    // The same provider object again: unchanged (the hash is of what the provider sent).
    const existing = new Map(first.written);
    const again = await applyPage({
      pk,
      runId: 'run_2',
      full: false,
      records: page,
      deletedIds: [],
      existing,
    });
    expect(again.counts).toEqual({ added: 0, updated: 0, deleted: 0 });
  });

  it('keeps every model field with its type, cutting the longest values first', () => {
    const data = {
      title: 'short',
      description: 'd'.repeat(1000),
      labels: ['a', 'b'],
      notes: 'n'.repeat(5000),
    };
    const { data: fit, truncated } = fitRecord(data, 3000);
    expect(truncated).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(fit))).toBeLessThanOrEqual(3000);
    expect(fit.title).toBe('short');
    expect(fit.labels).toEqual(['a', 'b']);
    expect(typeof fit.notes).toBe('string');
    expect(fit.description).toBe(data.description); // the longest went first, and that was enough
    expect(fitRecord(data).truncated).toBe(false);
    expect(fitRecord(data).data).toBe(data);
  });
});
