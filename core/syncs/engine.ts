import { loadAdapter } from '../../adapters';
import { isProviderError } from '../../adapters/errors';
import type { Credentials } from '../../adapters/types';
import { markRefused, refusesCredentials } from '../connections/lifecycle';
import { adapterCredentials, credentialsAfter401, getToken, renewable } from '../connections/tokens';
import { getIntegration } from '../integrations/read';
import { recordsChanged } from '../outbound/emit';
import { ApiError } from '../platform/errors';
import { providerHttp } from '../platform/provider-http';
import { apiBaseUrl } from '../providers/context';
import { getConnection } from '../store/connections-repo';
import { acquireLease, releaseLease } from '../store/lease-repo';
import {
  applyPage,
  deleteUnseen,
  lookupRecords,
  recordsPk,
  SETTLE_MS,
  type Summary,
} from '../store/records-repo';
import { getRun, type RunItem, updateRun } from '../store/runs-repo';
import * as syncs from '../store/syncs-repo';
import {
  emitRunEvent,
  failRun,
  HEARTBEAT_REFRESH_MS,
  heartbeatDue,
  leaveRun,
  progressOf,
  syncLeaseName,
} from './finish';
import { nextRunAt } from './frequency';
import { refreshSyncHealth } from './health';
import type { SyncMessage } from './message';
import { continueRun, MAX_DELAY_SECONDS } from './queue';

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
  /** A wait (a provider rate limit) from a fresh, delayed message: this one is acknowledged. */
  | { kind: 'waiting'; delaySeconds: number; reason: string }
  | { kind: 'continued' }
  | { kind: 'finishing'; delaySeconds: number };

// Leave this much of the invocation for saving state and re-queueing.
const SAFETY_MS = 30_000;
const SINCE_OVERLAP_MS = 5 * 60_000;
const TOKEN_REUSE_MS = 30_000;
const PROGRESS_MS = 2_000;
/**
 * A run rate-limited this long without storing a page ends `error`: a provider that never
 * lets it through must not hold the sync (which is not queued again while its run lives).
 */
export const MAX_RATE_LIMITED_MS = 6 * 3600_000;

/**
 * A promise started now and awaited later: its rejection is held (not reported as
 * unhandled) until `settled()` is awaited, which rethrows it.
 */
const prefetch = <T>(p: Promise<T>) => {
  const held = p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return {
    settled: async (): Promise<T> => {
      const r = await held;
      if (!r.ok) throw r.error;
      return r.value;
    },
  };
};

/**
 * Ends a run that stored everything: `success` in the sync state and the run log, the
 * connection's health, and the events. Every change the run wrote is in GET /v1/records from
 * `f.visible_at` (the feed stops SETTLE_MS short of now). Until then the run and its sync read
 * `running` (`visible_at` on both: core/syncs/runs.ts, syncs.ts), and `sync.completed` /
 * `records.changed` are sent delayed that long, so a client that polls the run to `success`,
 * or a subscriber that reads on the event, finds all of it. Ending here, in the invocation
 * that stored the last page, spares each run a second invocation, its message and its writes
 * (it used to park the run and end it from a delayed message).
 *
 * `last`: the run's last page, not saved yet — its counters (`progress`: the run's, with
 * them; `recordsDelta`) go in the same write, only while this is still the sync's run. A
 * crash before it replays the last page from the checkpoint (found unchanged). Without it,
 * `f` was parked by an earlier version (`finishing`) and `state` holds the counters.
 */
const complete = async (
  msg: SyncMessage,
  model: string,
  f: syncs.RunFinishing,
  /** The sync state as this invocation read or wrote it last. */
  state: syncs.SyncStateItem,
  trigger: RunItem['trigger'],
  last?: { progress: syncs.RunProgress; recordsDelta: number },
): Promise<EngineOutcome> => {
  const finishedAt = new Date().toISOString();
  const settles = f.visible_at > Date.now();
  const recordsDelta = (last?.recordsDelta ?? 0) - f.deleted;
  const ended = await syncs.updateSync(
    msg.tenant_id,
    msg.connection_id,
    msg.sync,
    {
      status: 'success',
      error: undefined,
      ...leaveRun,
      last_sync_date: finishedAt,
      last_success_since: f.started_at,
      sync_cursor: f.sync_cursor,
      run_full: undefined,
      ...(last ? { run_progress: last.progress } : {}),
      visible_at: settles ? f.visible_at : undefined,
      // A scheduled run's claim moved its next run a period on from the tick already; moving it
      // again would move the sync in the schedule indexes twice a run. A manual or webhook run
      // puts the next scheduled one a period from now.
      ...(trigger === 'schedule' || state.paused || !state.schedule_shard
        ? {}
        : { next_run_at: nextRunAt(state.frequency) }),
    },
    {
      ...(recordsDelta ? { add: { records_count: recordsDelta } } : {}),
      ...(last
        ? {
            condition: 'current_run_id = :run AND run_progress.run_id = :run',
            values: { ':run': msg.run_id },
          }
        : {}),
    },
  );
  // Taken from this run meanwhile (the sweep ended it): nothing of it is ended here.
  if (last && !ended) return { kind: 'done', status: 'dropped' };
  const done = await updateRun(msg.tenant_id, msg.run_id, {
    status: 'success',
    // Its start was on the sync state until now (see `runSyncMessage`).
    started_at: f.started_at,
    finished_at: finishedAt,
    duration_ms: Date.now() - Date.parse(f.started_at),
    ...progressOf(msg, last ? { run_progress: last.progress } : state, f.deleted),
    ...(settles ? { visible_at: f.visible_at } : {}),
  });
  // One write of the connection: its health and when it last synced.
  await refreshSyncHealth(msg.tenant_id, msg.connection_id, finishedAt, { last_synced_at: finishedAt });
  if (done) {
    const delaySeconds = settles ? delayUntil(f.visible_at) : 0;
    // `sync.completed` and `records.changed` in one SendMessageBatch.
    const changed = recordsChanged(
      {
        connection_id: msg.connection_id,
        sync: msg.sync,
        model,
        run_id: msg.run_id,
        source: 'sync',
        records: done.records,
      },
      settles ? { delaySeconds } : { visible: true },
    );
    await emitRunEvent(done, delaySeconds, changed ? [changed] : []);
  }
  return { kind: 'done', status: done ? 'success' : 'duplicate' };
};

/** Seconds until `visibleAt`, as an SQS delay (whole seconds, at least 1). */
const delayUntil = (visibleAt: number) => Math.max(1, Math.ceil((visibleAt - Date.now()) / 1000));

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
  const adapter = await loadAdapter(c.provider);
  const sync = adapter?.syncs[msg.sync];
  if (!adapter || !sync) {
    await failRun(msg, `${c.provider} has no sync ${msg.sync}`, { reschedule: true });
    return { kind: 'done', status: 'error' };
  }

  // The sync state as it stands (its sign of life decides whether going on writes a new one).
  const pre = await syncs.getSync(msg.tenant_id, msg.connection_id, msg.sync);

  // A wait longer than SQS delays a message (15 min) is a chain of delayed messages: this
  // link only passes the rest on.
  if (msg.not_before !== undefined && msg.not_before - Date.now() >= 1000) {
    const delaySeconds = Math.min(MAX_DELAY_SECONDS, delayUntil(msg.not_before));
    await continueRun(msg, delaySeconds, pre ?? {});
    return { kind: 'waiting', delaySeconds, reason: 'provider rate limit (continued)' };
  }

  // The run stored everything and waits for the feed to show it (see `complete`).
  const waiting = pre?.finishing;
  if (pre && waiting?.run_id === msg.run_id) {
    if (Date.now() < waiting.visible_at) {
      await continueRun(msg, delayUntil(waiting.visible_at), pre);
      return { kind: 'finishing', delaySeconds: delayUntil(waiting.visible_at) };
    }
    return complete(msg, sync.model, waiting, pre, run.trigger);
  }

  const leaseName = syncLeaseName(msg);
  // A page stored by this invocation: a rate limit after it starts a new wait.
  let stored = false;
  // The run's sign of life as stored (epoch ms): written again only once it is
  // HEARTBEAT_REFRESH_MS old.
  let beatAt: number | undefined;
  const storedBeat = () =>
    beatAt === undefined ? undefined : { heartbeat_at: new Date(beatAt).toISOString() };
  if (!(await acquireLease(msg.tenant_id, leaseName, msg.run_id, budget.remainingMs()))) {
    return { kind: 'retry', delaySeconds: 30, reason: 'another run of this sync holds the lease' };
  }
  try {
    // The run's first start: a continuation finds it on the run or on the sync state.
    const startedAt =
      run.started_at ??
      (pre?.running_run === msg.run_id ? pre.run_started_at : undefined) ??
      new Date().toISOString();
    // The run item is not written to start: the sync state's start write below says it runs
    // (reads show it `running`: core/syncs/runs.ts `asStarted`). The run item says so itself
    // with its first progress, a run past PROGRESS_MS (`shownRunning`), or its end.
    const shownRunning = { status: 'running', started_at: startedAt } as const;
    // ONE write of the sync state to start (see `startRun`); its sign of life only when the
    // stored one (the claim's, mostly) is old or missing.
    const beat = !pre?.heartbeat_at || !pre.run_shard || heartbeatDue(pre.heartbeat_at);
    beatAt = beat || !pre?.heartbeat_at ? Date.now() : Date.parse(pre.heartbeat_at);
    const state = await syncs.startRun(msg.tenant_id, msg.connection_id, msg.sync, msg.run_id, {
      initProgress: pre?.run_progress?.run_id !== msg.run_id,
      heartbeatAt: beat ? new Date(beatAt).toISOString() : undefined,
      startedAt,
    });
    if (!state) return { kind: 'done', status: 'dropped' };
    const integration = await getIntegration(msg.tenant_id, c.integration);
    const pk = recordsPk(msg.tenant_id, msg.connection_id, sync.model);
    let full = msg.mode === 'full' || !sync.incremental || state.run_full === msg.run_id;
    // A provider cursor is for incremental runs only; a full one lists everything afresh.
    const cursor = full ? undefined : state.sync_cursor;

    // Credentials are read at most every TOKEN_REUSE_MS (getToken refreshes those about to
    // expire): a token may expire or rotate in the middle of a long run. A 401 re-reads
    // them, and forces a refresh only if what is stored is what the provider refused.
    let held: { credentials: Credentials; readAt: number } | undefined;
    const credentialsFor = async (refused?: Credentials): Promise<Credentials> => {
      if (held && !refused && Date.now() - held.readAt < TOKEN_REUSE_MS) return held.credentials;
      const credentials = refused
        ? await credentialsAfter401(msg.tenant_id, msg.connection_id, refused)
        : adapterCredentials(await getToken(msg.tenant_id, msg.connection_id, false));
      held = { credentials, readAt: Date.now() };
      return credentials;
    };
    const since =
      !full && state.last_success_since
        ? // Ask a little further back: our clock vs the provider's, and search indexes that
          // lag (Jira). Repeats cost nothing: the content hash finds them unchanged.
          new Date(Date.parse(state.last_success_since) - SINCE_OVERLAP_MS).toISOString()
        : undefined;
    const fetchPage = async (checkpoint: unknown) => {
      const fetchWith = (credentials: Credentials) =>
        sync.fetchPage({
          credentials,
          config: c.config,
          metadata: c.provider_metadata ?? {},
          baseUrl: apiBaseUrl(integration, adapter, c.config, credentials),
          http: providerHttp,
          mode: full ? 'full' : 'incremental',
          ...(checkpoint !== undefined ? { checkpoint } : {}),
          ...(since && !full ? { since } : {}),
          ...(cursor !== undefined && !full ? { cursor } : {}),
        });
      const credentials = await credentialsFor();
      try {
        return await fetchWith(credentials);
      } catch (e) {
        // A token revoked or expired early at the provider: renew once and retry the page.
        if (!renewable(e, c)) throw e;
        return fetchWith(await credentialsFor(credentials));
      }
    };
    /** A page and what is stored of its records. */
    const fetchFrom = async (checkpoint: unknown) => {
      const page = await fetchPage(checkpoint);
      const existing = await lookupRecords(pk, [
        ...page.records.map((r) => r.id),
        ...(page.deletedIds ?? []),
      ]);
      return { page, existing };
    };

    // The next page is fetched while this one is stored: the provider's latency and our
    // writes overlap. The checkpoint still moves only after a page is stored, so a crash
    // drops at most the prefetched page, which the next attempt fetches again.
    let pending = prefetch(fetchFrom(state.checkpoint));
    // The previous page's checkpoint, saving while this page is stored. Saves run one after
    // another, so the checkpoint never moves backwards; a crash before a save replays the
    // pages since the last one that landed, harmlessly (the replay finds every record
    // unchanged, so neither the feed nor the counters move twice).
    const begun: syncs.SyncStateItem = state;
    let saving = prefetch(Promise.resolve(begun));
    let recent: Map<string, Summary> | undefined;
    let progressAt = Date.now();
    let lastCursor: unknown;
    // The last page's counts: saved with the run's end, in one write (`complete`).
    let last: { counts: { added: number; updated: number; deleted: number } };
    while (true) {
      const { page, existing } = await pending.settled();
      // The provider refused the incremental cursor and the adapter started over: from
      // here the run is full (the prefetch below already asks in full mode).
      if (page.resync) full = true;
      lastCursor = page.cursor;
      if (page.next !== undefined) pending = prefetch(fetchFrom(page.next));
      const { counts, written } = await applyPage({
        pk,
        runId: msg.run_id,
        sync: msg.sync,
        full,
        records: page.records,
        deletedIds: page.deletedIds ?? [],
        existing,
        // This page's lookup ran while the previous page was being written: what that page
        // wrote overrides it, for a record on both pages.
        ...(recent ? { recent } : {}),
      });
      recent = written;
      stored = true;
      // The last page's checkpoint is never needed (nothing follows it): its counts go with
      // the run's end, one write of the sync state instead of two.
      if (page.next === undefined) {
        last = { counts };
        break;
      }
      const saved = await saving.settled();
      const beat = beatAt === undefined || Date.now() - beatAt >= HEARTBEAT_REFRESH_MS;
      if (beat) beatAt = Date.now();
      // The run log shows progress at most every PROGRESS_MS: one write per page, not two.
      if (Date.now() - progressAt >= PROGRESS_MS) {
        progressAt = Date.now();
        await updateRun(msg.tenant_id, msg.run_id, { ...shownRunning, ...progressOf(msg, saved) });
      }
      saving = prefetch(
        syncs
          .savePage(msg.tenant_id, msg.connection_id, msg.sync, msg.run_id, {
            checkpoint: page.next,
            ...counts,
            pages: 1,
            ...(page.resync ? { full: true } : {}),
            ...(beat ? { heartbeatAt: new Date(beatAt as number).toISOString() } : {}),
          })
          .then((s) => s ?? saved),
      );
      if (budget.remainingMs() < SAFETY_MS) {
        await updateRun(msg.tenant_id, msg.run_id, {
          ...shownRunning,
          ...progressOf(msg, await saving.settled()),
        });
        const { waiting_since: _w, not_before: _n, ...next } = msg;
        await continueRun(next, 0, storedBeat());
        return { kind: 'continued' };
      }
    }
    // The previous page's save lands first: saves never overtake each other.
    const saved = await saving.settled();

    // Only a run that saw everything may conclude what's gone.
    const deleted = full ? await deleteUnseen(pk, msg.run_id, startedAt, msg.sync) : 0;
    // Every change is stored; the feed shows the last of them SETTLE_MS from now. The run
    // ends now, reading `running` until then (see `complete`): waiting here would cost
    // seconds of Lambda time per run, and a delayed message to end it a second invocation.
    const mine = saved.run_progress?.run_id === msg.run_id ? saved.run_progress : undefined;
    const progress: syncs.RunProgress = {
      run_id: msg.run_id,
      added: (mine?.added ?? 0) + last.counts.added,
      updated: (mine?.updated ?? 0) + last.counts.updated,
      deleted: (mine?.deleted ?? 0) + last.counts.deleted,
      pages: (mine?.pages ?? 0) + 1,
    };
    return await complete(
      msg,
      sync.model,
      {
        run_id: msg.run_id,
        started_at: startedAt,
        deleted,
        ...(lastCursor !== undefined ? { sync_cursor: lastCursor } : {}),
        visible_at: Date.now() + SETTLE_MS,
      },
      saved,
      run.trigger,
      { progress, recordsDelta: last.counts.added - last.counts.deleted },
    );
  } catch (e) {
    // Handed back to the queue: the run log shows how far it got meanwhile.
    const publishProgress = () =>
      syncs
        .getSync(msg.tenant_id, msg.connection_id, msg.sync)
        .then((s) => updateRun(msg.tenant_id, msg.run_id, progressOf(msg, s)))
        .catch(() => undefined);
    // A rate limit is a wait, not a failure: the run goes on from a fresh message delayed
    // that long, and this one is acknowledged. Handing this one back instead would count a
    // receive per wait, and a backfill rate-limited five times would be dead-lettered.
    const waitingSince = stored ? Date.now() : (msg.waiting_since ?? Date.now());
    if (isProviderError(e) && e.kind === 'rate_limited' && Date.now() - waitingSince < MAX_RATE_LIMITED_MS) {
      await publishProgress();
      const waitSeconds = Math.max(1, e.retryAfterSeconds ?? 60);
      const delaySeconds = Math.min(MAX_DELAY_SECONDS, waitSeconds);
      await continueRun(
        {
          ...msg,
          waiting_since: waitingSince,
          ...(waitSeconds > delaySeconds ? { not_before: Date.now() + waitSeconds * 1000 } : {}),
        },
        delaySeconds,
        storedBeat(),
      );
      return { kind: 'waiting', delaySeconds: waitSeconds, reason: 'provider rate limit' };
    }
    // An address or endpoint we refuse to call stays refused: no point in retrying.
    const refusedByUs =
      isProviderError(e) && (e.code === 'address_not_allowed' || e.code === 'endpoint_not_allowed');
    const transient =
      (isProviderError(e) && e.kind === 'unreachable' && !refusedByUs) ||
      !(isProviderError(e) || e instanceof ApiError);
    if (transient && !budget.lastAttempt) {
      await publishProgress();
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
      ? e.kind === 'rate_limited'
        ? `rate_limited: the provider refused every request for ${MAX_RATE_LIMITED_MS / 3600_000} hours`
        : e.providerMessage
      : e instanceof ApiError
        ? e.message
        : 'internal error';
    // Credentials the provider refuses and a refresh cannot renew: the connection is `error`
    // (and the scheduler leaves it alone) until the user connects again.
    if (refusesCredentials(e)) await markRefused(c, reason);
    await failRun(msg, reason, { reschedule: true });
    return { kind: 'done', status: 'error' };
  } finally {
    await releaseLease(msg.tenant_id, leaseName, msg.run_id);
  }
};
