import { type DueSync, queryDue, SCHEDULE_SHARDS } from './store/schedule-repo';

/** Every due, unpaused sync across all shards, at most `perShard` from each per tick. */
export const findDueSyncs = async (now: Date, perShard = 500): Promise<DueSync[]> => {
  const nowIso = now.toISOString();
  const shards = Array.from({ length: SCHEDULE_SHARDS }, (_, i) => i);
  const found = await Promise.all(shards.map((s) => queryDue(s, nowIso, perShard)));
  return found.flat();
};
