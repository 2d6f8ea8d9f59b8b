import { ApiError } from '../platform/errors';
import { getRun, type RunItem } from '../store/runs-repo';
import { getSyncs, type SyncStateItem } from '../store/syncs-repo';

/** Sync runs as the API shows them (GET /v1/sync-runs, /v1/sync-runs/{id}): no provider involved. */

/** A run that has ended but whose changes the feed does not show yet (`RunItem.visible_at`). */
export const settling = (r: { visible_at?: number | undefined }, now = Date.now()) =>
  r.visible_at !== undefined && now < r.visible_at;

/**
 * The run as the API shows it at `now`. `settled`: as it will read once its changes are in the
 * feed (an event sent for then).
 */
export const runView = (r: RunItem, { settled = false, now = Date.now() } = {}) => {
  const waiting = !settled && settling(r, now);
  return {
    id: r.id,
    connection_id: r.connection_id,
    sync: r.sync,
    trigger: r.trigger,
    mode: r.mode,
    status: waiting ? ('running' as const) : r.status,
    started_at: r.started_at ?? null,
    finished_at: waiting ? null : (r.finished_at ?? null),
    duration_ms: waiting ? null : (r.duration_ms ?? null),
    records: r.records,
    pages: r.pages,
    error: r.error ?? null,
  };
};

/**
 * The run as started, if its sync state says a worker started it. The start is written to the
 * sync state alone (`running_run`, `run_started_at`: a write the worker makes anyway); the run
 * item keeps `queued` until its progress (a run past PROGRESS_MS) or its end is written — the
 * tenant's runs partition takes two writes a run, not three, and its `RUN#` sort key only
 * grows, so no split would spread a third. A run the sync no longer names is as stored.
 */
export const asStarted = <R extends RunItem>(
  r: R,
  s: Pick<SyncStateItem, 'running_run' | 'current_run_id' | 'run_started_at'> | undefined,
): R =>
  r.status === 'queued' && s?.running_run === r.id && s.current_run_id === r.id
    ? { ...r, status: 'running', started_at: r.started_at ?? s.run_started_at }
    : r;

/** `asStarted` for each run stored `queued`, with their sync states read in one BatchGetItem. */
export const withStarts = async <R extends RunItem>(tenantId: string, runs: R[]): Promise<R[]> => {
  const queued = runs.filter((r) => r.status === 'queued');
  if (queued.length === 0) return runs;
  const states = await getSyncs(tenantId, queued);
  return runs.map((r) => asStarted(r, states.get(`${r.connection_id}/${r.sync}`)));
};

export const getSyncRun = async (tenantId: string, id: string) => {
  const r = await getRun(tenantId, id);
  if (!r) throw new ApiError('not_found', 'No such sync run.');
  const [shown] = await withStarts(tenantId, [r]);
  return runView(shown ?? r);
};
