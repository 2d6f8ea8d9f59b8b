import { queueUrl } from '../platform/config';
import { newId } from '../platform/ids';
import { logger as log } from '../platform/log';
import { connectionStatuses } from '../store/connections-repo';
import { putRuns, RUN_RETENTION_SECONDS, type RunItem } from '../store/runs-repo';
import { type DueSync, queryDue, SCHEDULE_SHARDS } from '../store/schedule-repo';
import { claimDue, moveDue } from '../store/syncs-repo';
import { nextRunAt } from './frequency';
import type { SchedulerShardMessage, SyncMessage } from './message';
import { enqueueSyncs, sendBatches } from './worker-queue';

/**
 * How the scheduler keeps up with 1,000,000 connections × 3 hourly syncs (50,000 due a
 * minute, 833/s). One function reading 16 shards and queueing 64 syncs at a time spent six
 * round trips a sync (read it, move it, read the connection, write the run, claim it, send)
 * and topped out near 2× that rate. Now:
 *
 * - the EventBridge tick sends one message per shard (SCHEDULE_SHARDS = 256) to the
 *   scheduler-shard queue, 10 a SendMessageBatch (`fanOutTick`);
 * - a shard worker per message (`queueShard`, as many at once as its row in
 *   functions/workers.ts allows) reads the shard's due syncs from the narrow schedule index,
 *   and, CHUNK at a time: reads their connections (one BatchGetItem), claims each sync with
 *   ONE conditional UpdateItem built from the index item, writes the claimed runs (one
 *   BatchWriteItem) and sends their messages (SendMessageBatch, 10 a call).
 *
 * That is ~1.2 round trips a sync instead of six, and 256 shards' worth of them side by side.
 */
export const PER_SHARD = 5_000;
/** Due syncs handled together: one BatchWriteItem of runs (its limit is 25). */
export const CHUNK = 25;
/** Chunks in flight in one shard worker. */
export const LANES = 4;
/** The shard worker's timeout is 60 s: what is left after this stays due for the next tick. */
export const SHARD_BUDGET_MS = 40_000;

/** The tick: one message per shard, `at` the tick's time. */
export const fanOutTick = async (now: Date): Promise<{ shards: number; failed: number }> => {
  const at = now.toISOString();
  const bodies = Array.from({ length: SCHEDULE_SHARDS }, (_, shard) =>
    JSON.stringify({ shard, at } satisfies SchedulerShardMessage),
  );
  const { failed } = await sendBatches(queueUrl('schedulerShard'), bodies);
  // A shard whose message never left is read by the next tick: its syncs stay due.
  if (failed.length) log.warn('scheduler shard messages not sent', { shards: failed });
  return { shards: bodies.length - failed.length, failed: failed.length };
};

export type ShardOutcome = { due: number; queued: number; skipped: number; failed: number; left: number };

const busy = (d: DueSync) => d.status === 'queued' || d.status === 'running';

/**
 * One chunk of a shard's due syncs. A sync whose connection is not active (expired, revoked,
 * deleted), or whose run is still queued or running, has its next run moved forward and no
 * run; every other one is claimed, and a claim that loses (another worker took it, it was
 * paused, a run started meanwhile) queues nothing.
 */
const queueChunk = async (
  chunk: readonly DueSync[],
  now: Date,
): Promise<Omit<ShardOutcome, 'due' | 'left'>> => {
  const connections = await connectionStatuses(chunk);
  const runs: RunItem[] = [];
  let skipped = 0;
  await Promise.all(
    chunk.map(async (d) => {
      const next = nextRunAt(d.frequency, now.getTime());
      const c = connections.get(`${d.tenant_id}/${d.connection_id}`);
      if (d.paused) {
        skipped++; // Not in the index once paused; an index copy that lags the pause.
        return;
      }
      if (c?.status !== 'active' || busy(d)) {
        await moveDue(d, next);
        skipped++;
        return;
      }
      const queuedAt = new Date().toISOString();
      const run: RunItem = {
        tenant_id: d.tenant_id,
        id: newId('run'),
        connection_id: d.connection_id,
        provider: c.provider,
        sync: d.sync,
        trigger: 'schedule',
        mode: 'incremental',
        status: 'queued',
        queued_at: queuedAt,
        records: { added: 0, updated: 0, deleted: 0 },
        pages: 0,
        expires_at: Math.floor(Date.now() / 1000) + RUN_RETENTION_SECONDS,
      };
      if (await claimDue(d, run, next)) runs.push(run);
      else {
        // The index lags: a run may have started since it was read. Then only its next run
        // moves; if the sync moved already (another worker), this fails and nothing changes.
        await moveDue(d, next);
        skipped++;
      }
    }),
  );
  if (!runs.length) return { queued: 0, skipped, failed: 0 };
  // The run after its claim: a claim that lost writes nothing, so no orphan run is listed.
  // A crash before the send leaves the sync queued without a message: the stalled-run sweep
  // (core/syncs/recovery.ts) ends it, as one whose worker died.
  await putRuns(runs);
  const { failed } = await enqueueSyncs(
    runs.map(
      (r): SyncMessage => ({
        tenant_id: r.tenant_id,
        connection_id: r.connection_id,
        sync: r.sync,
        run_id: r.id,
        mode: 'incremental',
      }),
    ),
  );
  if (failed.length) log.warn('scheduled sync messages not sent', { runs: failed.map((i) => runs[i]?.id) });
  return { queued: runs.length - failed.length, skipped, failed: failed.length };
};

/**
 * One shard worker's job: every due sync of `shard` (up to `perShard`), CHUNK at a time,
 * LANES chunks at once, until `budgetMs` is spent. Nothing is queued twice however many
 * workers take the same shard at once: each claim is conditional on the next run the index
 * showed. One failing chunk doesn't stop the others; its syncs are counted failed (those
 * not claimed stay due; claimed ones are freed by the sweep).
 */
export const queueShard = async (
  shard: number,
  now: Date,
  { budgetMs = SHARD_BUDGET_MS, perShard = PER_SHARD, lanes = LANES } = {},
): Promise<ShardOutcome> => {
  // A message naming no shard (a bug, or a shard count lowered under queued messages) fails,
  // and is dead-lettered after its retries rather than read as an empty shard.
  if (!Number.isInteger(shard) || shard < 0 || shard >= SCHEDULE_SHARDS) {
    throw new Error(`no schedule shard ${shard} (there are ${SCHEDULE_SHARDS})`);
  }
  const deadline = Date.now() + budgetMs;
  const due = await queryDue(shard, now.toISOString(), perShard);
  const chunks: DueSync[][] = [];
  for (let i = 0; i < due.length; i += CHUNK) chunks.push(due.slice(i, i + CHUNK));
  const out: ShardOutcome = { due: due.length, queued: 0, skipped: 0, failed: 0, left: 0 };
  let next = 0;
  const lane = async () => {
    while (next < chunks.length && Date.now() < deadline) {
      const chunk = chunks[next++] as DueSync[];
      try {
        const r = await queueChunk(chunk, now);
        out.queued += r.queued;
        out.skipped += r.skipped;
        out.failed += r.failed;
      } catch (e) {
        out.failed += chunk.length;
        log.error('scheduler chunk failed', { shard, error: (e as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, chunks.length) }, lane));
  out.left = chunks.slice(next).reduce((n, c) => n + c.length, 0);
  return out;
};
