import { announceSyncStatus } from '../connections/status';
import {
  type ConnectionItem,
  getConnection,
  type SyncStatus,
  updateConnection,
} from '../store/connections-repo';
import { listSyncs, type SyncStateItem } from '../store/syncs-repo';
import { frequencySeconds } from './frequency';

/**
 * A connection's `sync_status` (API.md): `failed` when every sync that has run ended its
 * last run in error, `degraded` when some did — or when an enabled sync is late —, else
 * `healthy`. Run outcomes are folded into the connection when a run ends or a sync is
 * paused (`refreshSyncHealth`); lateness depends on the clock, so it is applied when the
 * connection is read (`effectiveSyncStatus`) from the stored `sync_late_after`.
 */

/** Grace on top of two periods before an enabled sync counts as late. */
const LATE_GRACE_MS = 5 * 60_000;

export const syncHealthOf = (
  states: SyncStateItem[],
): { sync_status: SyncStatus; sync_late_after?: string } => {
  const finished = states.filter((s) => s.status === 'success' || s.status === 'error');
  const failed = finished.filter((s) => s.status === 'error').length;
  const sync_status: SyncStatus =
    failed === 0 ? 'healthy' : failed === finished.length ? 'failed' : 'degraded';
  // Late: an enabled sync whose last success is more than two periods (and a grace) old —
  // it missed a run, or its runs keep failing, retrying or queueing.
  let lateAfter: number | undefined;
  for (const s of states) {
    const seconds = frequencySeconds(s.frequency);
    if (s.paused || !s.schedule_shard || !s.last_sync_date || seconds === undefined) continue;
    const at = Date.parse(s.last_sync_date) + 2 * seconds * 1000 + LATE_GRACE_MS;
    lateAfter = lateAfter === undefined ? at : Math.min(lateAfter, at);
  }
  return {
    sync_status,
    ...(lateAfter !== undefined ? { sync_late_after: new Date(lateAfter).toISOString() } : {}),
  };
};

/**
 * Re-derives the connection's sync health from its syncs' states; call after they change. A
 * change of the stored `sync_status` is written conditionally on the one read, so only the
 * writer that changed it sends `connection.sync_status_changed`. `also`: other fields of the
 * connection to set in the same write (a finished run's `last_synced_at`): each write of the
 * connection rewrites its index copy too.
 */
export const refreshSyncHealth = async (
  tenantId: string,
  connectionId: string,
  now = new Date().toISOString(),
  also: { last_synced_at?: string } = {},
) => {
  for (let attempt = 0; attempt < 3; attempt++) {
    const [c, states] = await Promise.all([
      getConnection(tenantId, connectionId),
      listSyncs(tenantId, connectionId),
    ]);
    if (!c) return;
    const health = syncHealthOf(states);
    const updated = await updateConnection(
      tenantId,
      connectionId,
      {
        sync_status: health.sync_status,
        // Cleared (never late) when no enabled sync has succeeded yet.
        sync_late_after: health.sync_late_after ?? '',
        updated_at: now,
        ...also,
      },
      { sync_status: c.sync_status },
    );
    if (!updated) continue; // changed (or deleted) meanwhile: read again
    if (c.sync_status !== health.sync_status) await announceSyncStatus(c, c.sync_status, health.sync_status);
    return;
  }
};

/** The `sync_status` a reader sees: the stored outcome, `degraded` once a sync is late. */
export const effectiveSyncStatus = (
  c: Pick<ConnectionItem, 'sync_status' | 'sync_late_after'>,
  now = Date.now(),
) =>
  c.sync_status === 'healthy' && c.sync_late_after && Date.parse(c.sync_late_after) < now
    ? 'degraded'
    : c.sync_status;
