import { ApiError } from '../platform/errors';
import { getRun, type RunItem } from '../store/runs-repo';

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

export const getSyncRun = async (tenantId: string, id: string) => {
  const r = await getRun(tenantId, id);
  if (!r) throw new ApiError('not_found', 'No such sync run.');
  return runView(r);
};
