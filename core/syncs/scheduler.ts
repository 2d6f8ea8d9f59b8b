import { getConnection } from '../store/connections-repo';
import { type DueSync, queryDue, SCHEDULE_SHARDS } from '../store/schedule-repo';
import { getSync, updateSync } from '../store/syncs-repo';
import { nextRunAt, queueRun } from './queue';

/** Every due, unpaused sync across all shards, at most `perShard` from each per tick. */
export const findDueSyncs = async (now: Date, perShard = 500): Promise<DueSync[]> => {
  const nowIso = now.toISOString();
  const shards = Array.from({ length: SCHEDULE_SHARDS }, (_, i) => i);
  const found = await Promise.all(shards.map((s) => queryDue(s, nowIso, perShard)));
  return found.flat();
};

/**
 * Queues each due sync once: its next run time moves forward first (with jitter), so a
 * slow run or the next tick can't queue it again; one that is already queued or running
 * keeps its run. One failing sync doesn't stop the others.
 */
export const queueDueSyncs = async (now: Date): Promise<{ due: number; queued: number; failed: number }> => {
  const due = await findDueSyncs(now);
  let queued = 0;
  let failed = 0;
  for (const d of due) {
    try {
      const s = await getSync(d.tenant_id, d.connection_id, d.sync);
      if (!s || s.paused || !s.next_run_at || s.next_run_at > now.toISOString()) continue;
      const moved = await updateSync(
        d.tenant_id,
        d.connection_id,
        d.sync,
        { next_run_at: nextRunAt(s.frequency, now.getTime()) },
        { condition: 'next_run_at = :seen', values: { ':seen': s.next_run_at } },
      );
      if (!moved) continue; // another tick took it
      const c = await getConnection(d.tenant_id, d.connection_id);
      if (c?.status !== 'active') continue;
      await queueRun(c, moved, 'incremental', 'schedule');
      queued++;
    } catch {
      failed++;
    }
  }
  return { due: due.length, queued, failed };
};
