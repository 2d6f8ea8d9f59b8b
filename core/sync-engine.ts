import { type Credentials, getAdapter, httpClient, isProviderError } from '../adapters';
import { ApiError } from './errors';
import { getIntegration } from './integrations';
import { apiBaseUrl } from './provider-context';
import { getConnection, updateConnection } from './store/connections-repo';
import { acquireLease, releaseLease } from './store/lease-repo';
import { applyPage, deleteUnseen, recordsPk } from './store/records-repo';
import { getRun, updateRun } from './store/runs-repo';
import * as syncs from './store/syncs-repo';
import { enqueueSync, type SyncMessage } from './sync-queue';
import { nextRunAt } from './syncs';
import { getToken } from './tokens';

/**
 * Runs one queued sync run: fetch a page from the checkpoint, upsert it, save the
 * checkpoint, repeat. Everything durable happens per page, so a crash or a redelivery
 * resumes where the last page ended and replays nothing twice (upserts are keyed by
 * provider id and compared by content hash). It never sleeps: a rate limit hands the
 * message back with a delay, and a run longer than this invocation re-queues itself.
 */
export type EngineOutcome =
  | { kind: 'done'; status: 'success' | 'error' | 'dropped' | 'duplicate' }
  | { kind: 'retry'; delaySeconds: number; reason: string }
  | { kind: 'continued' };

// Leave this much of the invocation for saving state and re-queueing.
const SAFETY_MS = 30_000;
const SINCE_OVERLAP_MS = 5 * 60_000;

const toAdapterCredentials = (t: Awaited<ReturnType<typeof getToken>>): Credentials =>
  t.type === 'bearer'
    ? { type: 'oauth2', access_token: t.access_token }
    : t.type === 'api_key'
      ? { type: 'api_key', api_key: t.api_key, ...(t.app_key ? { app_key: t.app_key } : {}) }
      : { type: 'basic', username: t.username, password: t.password };

/** Credentials that a forced refresh can renew (OAuth with a refresh token, app installs). */
const refreshable = (c: { credentials_meta: { type: string } }) =>
  c.credentials_meta.type === 'oauth2' || c.credentials_meta.type === 'app_install';

const finishError = async (msg: SyncMessage, error: string) => {
  const now = new Date().toISOString();
  const run = await getRun(msg.tenant_id, msg.run_id);
  await updateRun(msg.tenant_id, msg.run_id, {
    status: 'error',
    error,
    finished_at: now,
    ...(run?.started_at ? { duration_ms: Date.now() - Date.parse(run.started_at) } : {}),
  });
  const s = await syncs.getSync(msg.tenant_id, msg.connection_id, msg.sync);
  await syncs.updateSync(msg.tenant_id, msg.connection_id, msg.sync, {
    status: 'error',
    error,
    current_run_id: undefined,
    // A failed run keeps its checkpoint out of the next one: the next run starts over.
    checkpoint: undefined,
    ...(s && !s.paused && s.schedule_shard ? { next_run_at: nextRunAt(s.frequency) } : {}),
  });
  await updateConnection(msg.tenant_id, msg.connection_id, { sync_status: 'failed', updated_at: now });
};

/**
 * `attempt`: how many times this message has been received (SQS ApproximateReceiveCount);
 * `lastAttempt`: the queue moves it to the DLQ if this one fails too, so failures end the run.
 */
export const runSyncMessage = async (
  msg: SyncMessage,
  budget: { remainingMs: () => number; attempt: number; lastAttempt: boolean },
): Promise<EngineOutcome> => {
  const run = await getRun(msg.tenant_id, msg.run_id);
  if (!run) return { kind: 'done', status: 'dropped' };
  if (run.status === 'success' || run.status === 'error') return { kind: 'done', status: 'duplicate' };
  const c = await getConnection(msg.tenant_id, msg.connection_id);
  if (!c) {
    await updateRun(msg.tenant_id, msg.run_id, {
      status: 'error',
      error: 'connection deleted',
      finished_at: new Date().toISOString(),
    });
    return { kind: 'done', status: 'dropped' };
  }
  const adapter = getAdapter(c.provider);
  const impl = adapter?.syncs?.[msg.sync];
  const decl = adapter?.manifest.syncs.find((s) => s.name === msg.sync);
  if (!adapter || !impl || !decl) {
    await finishError(msg, `sync ${msg.sync} has no implementation`);
    return { kind: 'done', status: 'error' };
  }

  const leaseName = `sync:${msg.connection_id}:${msg.sync}`;
  if (!(await acquireLease(msg.tenant_id, leaseName, msg.run_id, budget.remainingMs()))) {
    return { kind: 'retry', delaySeconds: 30, reason: 'another run of this sync holds the lease' };
  }
  try {
    const startedAt = run.started_at ?? new Date().toISOString();
    await updateRun(msg.tenant_id, msg.run_id, { status: 'running', started_at: startedAt });
    let state = await syncs.updateSync(msg.tenant_id, msg.connection_id, msg.sync, {
      status: 'running',
      current_run_id: msg.run_id,
    });
    if (!state) return { kind: 'done', status: 'dropped' };
    const integration = await getIntegration(msg.tenant_id, c.integration);
    const pk = recordsPk(msg.tenant_id, msg.connection_id, decl.model);
    const full = msg.mode === 'full' || !decl.incremental;

    while (true) {
      // Fresh credentials for every page: a token may expire in the middle of a long run.
      const fetchWith = async (force: boolean) => {
        const credentials = toAdapterCredentials(await getToken(msg.tenant_id, msg.connection_id, force));
        const baseUrl = apiBaseUrl(integration, adapter, c.config, credentials);
        return impl.fetchPage({
          credentials,
          config: c.config,
          metadata: c.provider_metadata ?? {},
          baseUrl,
          http: httpClient,
          mode: full ? 'full' : 'incremental',
          ...(state?.checkpoint !== undefined ? { checkpoint: state.checkpoint } : {}),
          ...(!full && state?.last_success_since
            ? // Ask a little further back: our clock vs the provider's, and search indexes that
              // lag (Jira). Repeats cost nothing: the content hash finds them unchanged.
              { since: new Date(Date.parse(state.last_success_since) - SINCE_OVERLAP_MS).toISOString() }
            : {}),
        });
      };
      let page: Awaited<ReturnType<typeof fetchWith>>;
      try {
        page = await fetchWith(false);
      } catch (e) {
        // A token revoked or expired early at the provider: refresh once and retry the page.
        if (!(isProviderError(e) && e.kind === 'rejected' && e.status === 401 && refreshable(c))) throw e;
        page = await fetchWith(true);
      }
      const counts = await applyPage({
        pk,
        runId: msg.run_id,
        full,
        records: page.records,
        deletedIds: page.deletedIds ?? [],
      });
      // Checkpoint after the page is stored: a crash between the two replays the page, harmlessly.
      await updateRun(msg.tenant_id, msg.run_id, {}, { ...counts, pages: 1 });
      state = (await syncs.updateSync(
        msg.tenant_id,
        msg.connection_id,
        msg.sync,
        { checkpoint: page.next },
        { add: { records_count: counts.added - counts.deleted } },
      )) as syncs.SyncStateItem;
      if (page.next === undefined) break;
      if (budget.remainingMs() < SAFETY_MS) {
        await enqueueSync(msg);
        return { kind: 'continued' };
      }
    }

    // Only a run that saw everything may conclude what's gone.
    const deleted = full ? await deleteUnseen(pk, msg.run_id, startedAt) : 0;
    const finishedAt = new Date().toISOString();
    const done = await updateRun(
      msg.tenant_id,
      msg.run_id,
      { status: 'success', finished_at: finishedAt, duration_ms: Date.now() - Date.parse(startedAt) },
      { deleted },
    );
    await syncs.updateSync(
      msg.tenant_id,
      msg.connection_id,
      msg.sync,
      {
        status: 'success',
        error: undefined,
        current_run_id: undefined,
        checkpoint: undefined,
        last_sync_date: finishedAt,
        last_success_since: startedAt,
        ...(state.paused || !state.schedule_shard ? {} : { next_run_at: nextRunAt(state.frequency) }),
      },
      { add: { records_count: -deleted } },
    );
    await updateConnection(msg.tenant_id, msg.connection_id, {
      last_synced_at: finishedAt,
      sync_status: 'healthy',
      updated_at: finishedAt,
    });
    return { kind: 'done', status: done ? 'success' : 'duplicate' };
  } catch (e) {
    if (isProviderError(e) && e.kind === 'rate_limited') {
      return {
        kind: 'retry',
        delaySeconds: Math.max(1, e.retryAfterSeconds ?? 60),
        reason: 'provider rate limit',
      };
    }
    const transient =
      (isProviderError(e) && e.kind === 'unreachable') || !(isProviderError(e) || e instanceof ApiError);
    if (transient && !budget.lastAttempt) {
      // Exponential backoff through the queue: 10 s, 20 s, 40 s, … at most 15 min.
      // The cause is logged: provider messages never carry credentials.
      const cause = isProviderError(e)
        ? e.providerMessage
        : `${(e as Error).name}: ${String((e as Error).message).slice(0, 200)}`;
      return {
        kind: 'retry',
        delaySeconds: Math.min(900, 10 * 2 ** (budget.attempt - 1)),
        reason: `transient failure (${cause})`,
      };
    }
    const reason = isProviderError(e)
      ? e.providerMessage
      : e instanceof ApiError
        ? e.message
        : 'internal error';
    await finishError(msg, reason);
    return { kind: 'done', status: 'error' };
  } finally {
    await releaseLease(msg.tenant_id, leaseName, msg.run_id);
  }
};
