import { type Emission, emitEvents } from '../outbound/emit';
import { count, milliseconds } from '../platform/metrics';
import { queues, visibilityTimeoutSeconds } from '../platform/resources';
import { getRun, type RunItem, updateRun } from '../store/runs-repo';
import * as syncs from '../store/syncs-repo';
import { nextRunAt } from './frequency';
import { refreshSyncHealth } from './health';
import { runView } from './runs';

/**
 * Ending a run in error, shared by the engine (a run that failed in the worker) and the
 * scheduler's recovery (a run whose message was dead-lettered, or that stalled). Without the
 * provider registry, so the scheduler's bundle stays small.
 */

/**
 * No sign of life for this long and the scheduler's sweep ends a run (core/syncs/recovery.ts):
 * no message can still be carrying it.
 */
export const STALL_AFTER_MS = 2 * visibilityTimeoutSeconds(queues.sync) * 1000;

/**
 * A run's sign of life (`heartbeat_at`, the `active` index's sort key: each write of it moves
 * the index item, two index writes) is written only once the one stored is this old: a quarter
 * of the stall window, so a live run's is never older than the window allows (a run holding
 * its lease is alive whatever its heartbeat says, and a run between messages is at most one
 * SQS delay, 15 min, past a refresh). Most runs end before it is due, on the claim's.
 */
export const HEARTBEAT_REFRESH_MS = STALL_AFTER_MS / 4;

/** Whether a run whose stored sign of life is `heartbeatAt` should write a new one now. */
export const heartbeatDue = (heartbeatAt: string | undefined, now = Date.now()) =>
  heartbeatAt === undefined || now - Date.parse(heartbeatAt) >= HEARTBEAT_REFRESH_MS;

/** Which run: the fields of its queue message that name it. */
export type RunRef = { tenant_id: string; connection_id: string; sync: string; run_id: string };

/** One run of a connection's sync at a time, across every worker (core/store/lease-repo.ts). */
export const syncLeaseName = (ref: Pick<RunRef, 'connection_id' | 'sync'>) =>
  `sync:${ref.connection_id}:${ref.sync}`;

/**
 * What takes a sync out of its run: no current run (the sync can be queued again), no
 * checkpoint (a failed run's is kept out of the next one: that run starts over), and out of
 * the sparse `active` index the sweep reads.
 */
export const leaveRun = {
  current_run_id: undefined,
  finishing: undefined,
  checkpoint: undefined,
  run_shard: undefined,
  heartbeat_at: undefined,
  running_run: undefined,
  run_started_at: undefined,
} as const;

/** The run log's counters, from the sync state's (see `RunProgress`), when they are this run's. */
export const progressOf = (
  ref: RunRef,
  s: Pick<syncs.SyncStateItem, 'run_progress'> | undefined,
  extraDeleted = 0,
) => {
  const p = s?.run_progress;
  return p?.run_id === ref.run_id
    ? { records: { added: p.added, updated: p.updated, deleted: p.deleted + extraDeleted }, pages: p.pages }
    : {};
};

/**
 * `sync.completed` / `sync.failed` to the tenant's webhooks: the run as GET /v1/sync-runs/{id}
 * shows it — `delaySeconds` later for a run whose changes the feed shows only then. `also`:
 * events sent in the same SendMessageBatch (a run's `records.changed`).
 */
export const emitRunEvent = (run: RunItem, delaySeconds = 0, also: readonly Emission[] = []) => {
  // Once per finished run, as the event: the SyncRuns metric counts runs, not messages.
  const provider = run.provider ?? 'unknown';
  count('SyncRuns', { provider, outcome: run.status });
  count('RecordsWritten', { provider }, run.records.added + run.records.updated + run.records.deleted);
  if (run.duration_ms !== undefined) milliseconds('RunDuration', { provider }, run.duration_ms);
  const { id, ...view } = runView(run, { settled: true });
  return emitEvents(run.tenant_id, [
    {
      type: run.status === 'success' ? 'sync.completed' : 'sync.failed',
      data: { run_id: id, ...view },
      options: delaySeconds ? { delaySeconds } : {},
    },
    ...also,
  ]);
};

/**
 * Ends the run as `error` with `error`: the run log, the sync state (`error`, free to be
 * queued again), the connection's `sync_status`, and `sync.failed`. Only the write that
 * finished the run emits, so a second caller (a redelivered message, a sweep racing a DLQ
 * drain) finds it finished and does nothing twice.
 *
 * `reschedule`: the next scheduled run one period from now (a run that failed in the worker).
 * Recovery leaves `next_run_at` alone: the scheduler moved it when it queued this run, so a
 * sync whose run was lost for hours is due again at once.
 *
 * `guard`: for callers that do not hold the run's lease: the sync state must still name this
 * run, and meet `condition` (a stale sign of life, for the sweep). When it fails and the sync still names this run, the run is not ended (it showed life
 * meanwhile); when the sync has moved on, the run alone is ended (it is an orphan).
 * Returns the ended run, or undefined when nothing was ended here.
 */
export const failRun = async (
  ref: RunRef,
  error: string,
  options: { reschedule: boolean; guard?: { condition?: string; values?: Record<string, unknown> } },
): Promise<RunItem | undefined> => {
  const now = new Date().toISOString();
  const run = await getRun(ref.tenant_id, ref.run_id);
  const s = await syncs.getSync(ref.tenant_id, ref.connection_id, ref.sync);
  const left = await syncs.updateSync(
    ref.tenant_id,
    ref.connection_id,
    ref.sync,
    {
      status: 'error',
      error,
      ...leaveRun,
      ...(options.reschedule && s && !s.paused && s.schedule_shard
        ? { next_run_at: nextRunAt(s.frequency) }
        : {}),
    },
    options.guard
      ? {
          condition: `current_run_id = :run${options.guard.condition ? ` AND (${options.guard.condition})` : ''}`,
          values: { ':run': ref.run_id, ...options.guard.values },
        }
      : {},
  );
  if (!left && options.guard) {
    const again = await syncs.getSync(ref.tenant_id, ref.connection_id, ref.sync);
    if (again?.current_run_id === ref.run_id) return undefined;
  }
  // A started run's start is on the sync state until the run item is written past it.
  const startedAt = run?.started_at ?? (s?.running_run === ref.run_id ? s.run_started_at : undefined);
  const failed = await updateRun(ref.tenant_id, ref.run_id, {
    status: 'error',
    error,
    finished_at: now,
    ...progressOf(ref, s),
    ...(startedAt ? { started_at: startedAt, duration_ms: Date.now() - Date.parse(startedAt) } : {}),
  });
  if (left) await refreshSyncHealth(ref.tenant_id, ref.connection_id, now);
  if (failed) await emitRunEvent(failed);
  return failed;
};
