import * as z from 'zod/mini';
import { loadDescription } from '../../adapters/descriptions';
import type { SyncDeclaration } from '../../adapters/types';
import { getConnection } from '../connections/read';
import { ApiError } from '../platform/errors';
import type { ConnectionItem } from '../store/connections-repo';
import * as repo from '../store/syncs-repo';
import { FREQUENCY_PATTERN, frequencySeconds, jitterMs, nextRunAt } from './frequency';
import { refreshSyncHealth } from './health';

/**
 * Syncs of a connection (one per sync its provider declares, enabled at the default
 * frequency) and triggers. Run logs are runs.ts; the engine that runs them is engine.ts.
 */

/** Creates the connection's sync states; the first run is due at once (with jitter). */
export const ensureSyncs = async (c: ConnectionItem): Promise<repo.SyncStateItem[]> =>
  ensureSyncsOf(c, (await loadDescription(c.provider))?.syncs ?? []);

/**
 * The same, for the syncs given: a handler that has the provider's adapter (connecting) passes
 * its manifest's, and loads no description for them.
 */
export const ensureSyncsOf = async (
  c: ConnectionItem,
  declared: readonly SyncDeclaration[],
): Promise<repo.SyncStateItem[]> => {
  const existing = await repo.listSyncs(c.tenant_id, c.connection_id);
  for (const s of declared) {
    if (existing.some((e) => e.sync === s.name)) continue;
    await repo.putSyncIfAbsent({
      tenant_id: c.tenant_id,
      connection_id: c.connection_id,
      sync: s.name,
      model: s.model,
      frequency: s.defaultFrequency,
      paused: false,
      status: 'idle',
      records_count: 0,
      schedule_shard: repo.shardOf(c.connection_id),
      next_run_at: new Date(Date.now() + jitterMs(s.defaultFrequency)).toISOString(),
    });
  }
  return repo.listSyncs(c.tenant_id, c.connection_id);
};

export const syncView = (s: repo.SyncStateItem) => ({
  name: s.sync,
  model: s.model,
  // A run that ended reads `running` until the feed shows its changes (`visible_at`).
  status: s.paused
    ? 'paused'
    : s.visible_at !== undefined && Date.now() < s.visible_at && s.status === 'success'
      ? 'running'
      : s.status,
  frequency: s.frequency,
  last_sync_date: s.last_sync_date ?? null,
  next_sync_date: s.paused ? null : (s.next_run_at ?? null),
  records_count: s.records_count,
  error: s.error ?? null,
});

export const listConnectionSyncs = async (tenantId: string, connectionId: string) => {
  const c = await getConnection(tenantId, connectionId);
  return { syncs: (await ensureSyncs(c)).map(syncView) };
};

const unknownSync = (name: string) =>
  new ApiError('not_found', `No sync '${name.slice(0, 64)}' on this connection.`, {
    remediation: 'GET /v1/connections/{id}/syncs lists them.',
  });

export const getConnectionSync = async (tenantId: string, connectionId: string, name: string) => {
  const c = await getConnection(tenantId, connectionId);
  const s = (await ensureSyncs(c)).find((x) => x.sync === name);
  if (!s) throw unknownSync(name);
  return syncView(s);
};

export const syncPatch = z.strictObject({
  frequency: z.optional(
    z.string().check(
      z.regex(FREQUENCY_PATTERN, { message: 'A frequency is a number and a unit: 15m, 1h, 1d.' }),
      z.refine((f) => frequencySeconds(f) !== undefined, { message: 'A frequency is from 1m to 30d.' }),
    ),
  ),
  paused: z.optional(z.boolean()),
});

export const updateConnectionSync = async (
  tenantId: string,
  connectionId: string,
  name: string,
  patch: z.infer<typeof syncPatch>,
) => {
  const c = await getConnection(tenantId, connectionId);
  const s = (await ensureSyncs(c)).find((x) => x.sync === name);
  if (!s) throw unknownSync(name);
  const frequency = patch.frequency ?? s.frequency;
  const paused = patch.paused ?? s.paused;
  // Paused: out of the schedule index. Otherwise next run from now.
  const schedule = paused
    ? { schedule_shard: undefined, next_run_at: undefined }
    : patch.frequency !== undefined || patch.paused === false || !s.next_run_at
      ? { schedule_shard: repo.shardOf(connectionId), next_run_at: nextRunAt(frequency) }
      : {};
  const updated = await repo.updateSync(tenantId, connectionId, name, { frequency, paused, ...schedule });
  if (!updated) throw unknownSync(name);
  // A paused sync can't be late, a resumed one may be.
  if (patch.paused !== undefined) await refreshSyncHealth(tenantId, connectionId);
  return syncView(updated);
};

export const triggerBody = z.strictObject({
  connection_id: z.string().check(z.minLength(1), z.maxLength(200)),
  syncs: z.optional(
    z.array(z.string().check(z.minLength(1), z.maxLength(64))).check(z.minLength(1), z.maxLength(50)),
  ),
  mode: z._default(z.enum(['incremental', 'full']), 'incremental'),
});

export const triggerSyncs = async (
  tenantId: string,
  body: z.infer<typeof triggerBody>,
  trigger: 'manual' | 'webhook' = 'manual',
) => {
  const c = await getConnection(tenantId, body.connection_id);
  if (c.status !== 'active') {
    throw new ApiError('connection_not_ready', `The connection is ${c.status}.`, {
      details: { status: c.status },
    });
  }
  const states = await ensureSyncs(c);
  const names = body.syncs ?? states.map((s) => s.sync);
  const unknown = names.filter((n) => !states.some((s) => s.sync === n));
  if (unknown.length) {
    throw new ApiError('validation_failed', 'Some syncs cannot be triggered.', {
      details: {
        issues: unknown.map((n) => ({ path: 'body.syncs', message: `No sync '${n}' on this connection.` })),
      },
    });
  }
  // Loaded here: what reads or schedules syncs (every connect) needn't load the SQS client.
  const { queueRun } = await import('./queue');
  const runs = [];
  for (const n of names)
    runs.push(await queueRun(c, states.find((s) => s.sync === n) as repo.SyncStateItem, body.mode, trigger));
  return { runs };
};
