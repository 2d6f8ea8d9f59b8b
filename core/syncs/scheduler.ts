import { getConnection } from '../store/connections-repo';
import { type DueSync, queryDue, SCHEDULE_SHARDS } from '../store/schedule-repo';
import { getSync, updateSync } from '../store/syncs-repo';
import { nextRunAt, queueRun } from './queue';

/**
 * How a tick keeps up. Queueing one sync is six round trips (read it, move its next run,
 * read the connection, write the run, claim the sync, send the message); one after another
 * that was ~1,400 syncs a minute against the 50,000 a minute a million connections × 3
 * hourly syncs make due. A tick now reads up to PER_SHARD due syncs of each shard and queues
 * them CONCURRENCY at a time, until TICK_BUDGET_MS is spent (the function's timeout is 60 s;
 * the sweeps run before). What a tick leaves stays due, oldest first, for the next one.
 */
export const PER_SHARD = 5_000;
export const CONCURRENCY = 64;
export const TICK_BUDGET_MS = 40_000;

/** Every due, unpaused sync across all shards, at most `perShard` from each per tick. */
export const findDueSyncs = async (now: Date, perShard = PER_SHARD): Promise<DueSync[]> => {
  const nowIso = now.toISOString();
  const shards = Array.from({ length: SCHEDULE_SHARDS }, (_, i) => i);
  const found = await Promise.all(shards.map((s) => queryDue(s, nowIso, perShard)));
  // Interleaved, so a tick cut short by its budget served every shard alike.
  const out: DueSync[] = [];
  for (let i = 0; found.some((f) => i < f.length); i++)
    for (const f of found) if (i < f.length) out.push(f[i] as DueSync);
  return out;
};

type Outcome = 'queued' | 'skipped' | 'failed';

/** One due sync: its next run moves forward first, so no other tick queues it again. */
const queueOne = async (d: DueSync, now: Date): Promise<Outcome> => {
  try {
    const s = await getSync(d.tenant_id, d.connection_id, d.sync);
    if (!s || s.paused || !s.next_run_at || s.next_run_at > now.toISOString()) return 'skipped';
    const moved = await updateSync(
      d.tenant_id,
      d.connection_id,
      d.sync,
      { next_run_at: nextRunAt(s.frequency, now.getTime()) },
      { condition: 'next_run_at = :seen', values: { ':seen': s.next_run_at } },
    );
    if (!moved) return 'skipped'; // another tick took it
    const c = await getConnection(d.tenant_id, d.connection_id);
    if (c?.status !== 'active') return 'skipped';
    await queueRun(c, moved, 'incremental', 'schedule');
    return 'queued';
  } catch {
    return 'failed';
  }
};

/**
 * Queues each due sync once: its next run time moves forward first (with jitter), so a
 * slow run or the next tick can't queue it again; one that is already queued or running
 * keeps its run. One failing sync doesn't stop the others.
 */
export const queueDueSyncs = async (
  now: Date,
  { concurrency = CONCURRENCY, budgetMs = TICK_BUDGET_MS, perShard = PER_SHARD } = {},
): Promise<{ due: number; queued: number; failed: number; left: number }> => {
  const deadline = Date.now() + budgetMs;
  const due = await findDueSyncs(now, perShard);
  let next = 0;
  let queued = 0;
  let failed = 0;
  const lane = async () => {
    while (next < due.length && Date.now() < deadline) {
      const d = due[next++] as DueSync;
      const o = await queueOne(d, now);
      if (o === 'queued') queued++;
      else if (o === 'failed') failed++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, lane));
  return { due: due.length, queued, failed, left: due.length - next };
};
