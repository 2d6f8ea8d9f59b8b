import { awsJson } from '../platform/aws-call';
import { queueUrl } from '../platform/config';
import { newId } from '../platform/ids';
import { traceAttributes } from '../platform/trace';
import type { ConnectionItem } from '../store/connections-repo';
import { putRun, RUN_RETENTION_SECONDS, type RunItem } from '../store/runs-repo';
import * as repo from '../store/syncs-repo';
import { heartbeatDue } from './finish';
import type { SyncMessage } from './message';

/**
 * Queueing sync runs: when a sync is next due, and a run claimed and sent to the sync
 * queue. Without the provider registry, so the scheduler's bundle stays small.
 */

/** The longest SQS delays a message (DelaySeconds): longer waits are chains of messages. */
export const MAX_DELAY_SECONDS = 900;

export const enqueueSync = async (msg: SyncMessage, delaySeconds = 0): Promise<void> => {
  await awsJson('sqs', 'SendMessage', {
    QueueUrl: queueUrl('sync'),
    MessageBody: JSON.stringify(msg),
    ...traceAttributes(),
    ...(delaySeconds
      ? { DelaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.round(delaySeconds))) }
      : {}),
  });
};

/**
 * The run goes on from a fresh message (a run longer than one invocation, a rate-limit wait,
 * a finished run waiting for the feed): its sign of life for the sweep first, then the
 * message. The received one is then acknowledged, so going on never spends its receives —
 * the queue's retry budget (maxReceiveCount) is left for crashes and failures. Each handled
 * message sends at most one next message, so a run has one message (an SQS duplicate, or a
 * crash between the send and the acknowledgement, makes two chains of one run: its lease
 * keeps them from running side by side, and both end when the run does).
 *
 * `storedHeartbeat`: the run's sign of life as the caller last read or wrote it. When it is
 * recent (`heartbeatDue`), it is not written again: each write moves the sync's `active`
 * index item. Without it (unknown), it is written.
 */
export const continueRun = async (
  msg: SyncMessage,
  delaySeconds = 0,
  storedHeartbeat?: { heartbeat_at?: string | undefined },
): Promise<void> => {
  if (!storedHeartbeat || heartbeatDue(storedHeartbeat.heartbeat_at)) {
    await repo.updateSync(
      msg.tenant_id,
      msg.connection_id,
      msg.sync,
      { heartbeat_at: new Date().toISOString() },
      { condition: 'current_run_id = :run', values: { ':run': msg.run_id } },
    );
  }
  await enqueueSync(msg, delaySeconds);
};

/** Queues a run of each sync, unless one is queued or running already (then that one is answered). */
export const queueRun = async (
  c: ConnectionItem,
  s: repo.SyncStateItem,
  mode: 'incremental' | 'full',
  trigger: RunItem['trigger'],
): Promise<{ id: string; sync: string; status: string }> => {
  if ((s.status === 'queued' || s.status === 'running') && s.current_run_id) {
    return { id: s.current_run_id, sync: s.sync, status: s.status };
  }
  const run: RunItem = {
    tenant_id: c.tenant_id,
    id: newId('run'),
    connection_id: c.connection_id,
    provider: c.provider,
    sync: s.sync,
    trigger,
    mode,
    status: 'queued',
    queued_at: new Date().toISOString(),
    records: { added: 0, updated: 0, deleted: 0 },
    pages: 0,
    expires_at: Math.floor(Date.now() / 1000) + RUN_RETENTION_SECONDS,
  };
  await putRun(run);
  // Claim the sync for this run; losing means another request queued one meanwhile.
  const claimed = await repo.updateSync(
    c.tenant_id,
    c.connection_id,
    s.sync,
    {
      status: 'queued',
      current_run_id: run.id,
      error: undefined,
      // In the sparse `active` index until the run ends: the sweep ends it if it shows no life.
      run_shard: repo.runShardOf(c.connection_id),
      heartbeat_at: run.queued_at,
    },
    {
      condition: '#status <> :queued AND #status <> :running',
      values: { ':queued': 'queued', ':running': 'running' },
    },
  );
  if (!claimed) {
    const now = await repo.getSync(c.tenant_id, c.connection_id, s.sync);
    return { id: now?.current_run_id ?? run.id, sync: s.sync, status: now?.status ?? 'queued' };
  }
  await enqueueSync({
    tenant_id: c.tenant_id,
    connection_id: c.connection_id,
    sync: s.sync,
    run_id: run.id,
    mode,
  });
  return { id: run.id, sync: s.sync, status: 'queued' };
};
