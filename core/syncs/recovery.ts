import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { deadLetterQueueUrl } from '../platform/config';
import { logger } from '../platform/log';
import { count } from '../platform/metrics';
import { queues } from '../platform/resources';
import { sqsClient } from '../platform/sqs';
import { leaseHolder } from '../store/lease-repo';
import { queryStalled, RUN_SHARDS, updateSync } from '../store/syncs-repo';
import { failRun, type RunRef, STALL_AFTER_MS, syncLeaseName } from './finish';
import { syncMessage } from './message';

/**
 * Runs that no worker will finish, ended by the scheduler's tick so their syncs can be queued
 * again (a sync with a run queued or running is never queued twice):
 *
 * - dead letters: a run whose message failed every receive the sync queue allows (crashes,
 *   timeouts, failures: `queues.sync.maxReceiveCount`) reached the DLQ without its run ending —
 *   a crash runs no code of ours. Ended `error` (`worker_failed: …`).
 * - stalls: a run that showed no sign of life (queued, a page saved, a wait re-queued) for
 *   twice the sync queue's visibility timeout — a message lost, or one that never reached the
 *   DLQ. Ended `error` (`stalled: …`). Read from the sparse `active` index, oldest first.
 *
 * Both are bounded per tick, and both skip a run whose lease is held: something is running it.
 */

/** Messages the tick takes from the sync DLQ at most (10 a receive). */
const DEAD_LETTER_BATCHES = 10;
/** Stalled runs ended per shard and tick at most. */
const STALLED_PER_SHARD = 10;

export { STALL_AFTER_MS };

const workerFailed = `worker_failed: the worker failed all ${queues.sync.maxReceiveCount} attempts at this run (it crashed, timed out or failed each time)`;

/** Whether a worker holds the run's lease right now: then it is alive, whatever else says. */
const running = async (ref: RunRef) => (await leaseHolder(ref.tenant_id, syncLeaseName(ref))) === ref.run_id;

/**
 * Takes the sync DLQ's messages and ends each one's run `error` (`worker_failed`), then
 * deletes them: the run log holds the outcome, and a redriven copy would find its run
 * finished and be dropped — the scheduler queues the sync's next run instead. A message that
 * cannot be handled now is left to show again after its visibility timeout.
 */
export const drainDeadLetters = async (): Promise<{ ended: number; skipped: number }> => {
  let ended = 0;
  let skipped = 0;
  for (let b = 0; b < DEAD_LETTER_BATCHES; b++) {
    const r = await sqsClient().send(
      new ReceiveMessageCommand({
        QueueUrl: deadLetterQueueUrl('sync'),
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 120,
      }),
    );
    const messages = r.Messages ?? [];
    if (messages.length === 0) break;
    const handled: string[] = [];
    for (const m of messages) {
      try {
        let body: unknown;
        try {
          body = JSON.parse(m.Body ?? '');
        } catch {
          body = undefined;
        }
        const parsed = syncMessage.safeParse(body);
        if (!parsed.success) {
          // No run to end: kept out of the queue for good, and said so.
          logger.error('sync dead letter is not a sync message', { message_id: m.MessageId });
          skipped++;
        } else if (await running(parsed.data)) {
          // Another message of this run (an SQS duplicate) holds its lease: it carries the run on.
          skipped++;
        } else {
          const failed = await failRun(parsed.data, workerFailed, { reschedule: false, guard: {} });
          if (failed) {
            ended++;
            count('SyncRunsRecovered', { reason: 'worker_failed' });
            logger.warn('sync run dead-lettered: ended as error', {
              connection_id: parsed.data.connection_id,
              sync: parsed.data.sync,
              run_id: parsed.data.run_id,
            });
          } else skipped++;
        }
        handled.push(m.ReceiptHandle as string);
      } catch (e) {
        logger.error('sync dead letter not handled; it shows again later', {
          message_id: m.MessageId,
          error: (e as Error).message,
        });
      }
    }
    if (handled.length) {
      await sqsClient().send(
        new DeleteMessageBatchCommand({
          QueueUrl: deadLetterQueueUrl('sync'),
          Entries: handled.map((ReceiptHandle, i) => ({ Id: String(i), ReceiptHandle })),
        }),
      );
    }
  }
  return { ended, skipped };
};

/** Ends, at most STALLED_PER_SHARD a shard, the runs with no sign of life since `now` − STALL_AFTER_MS. */
export const sweepStalled = async (now: Date): Promise<{ ended: number }> => {
  const before = new Date(now.getTime() - STALL_AFTER_MS).toISOString();
  const shards = Array.from({ length: RUN_SHARDS }, (_, i) => i);
  const found = (await Promise.all(shards.map((s) => queryStalled(s, before, STALLED_PER_SHARD)))).flat();
  let ended = 0;
  for (const a of found) {
    if (!a.current_run_id) {
      // Left in the index by a run that ended without taking the sync out of it.
      await updateSync(
        a.tenant_id,
        a.connection_id,
        a.sync,
        { run_shard: undefined, heartbeat_at: undefined },
        { condition: 'attribute_not_exists(current_run_id)' },
      );
      continue;
    }
    const ref = {
      tenant_id: a.tenant_id,
      connection_id: a.connection_id,
      sync: a.sync,
      run_id: a.current_run_id,
    };
    if (await running(ref)) continue;
    const minutes = Math.round(STALL_AFTER_MS / 60_000);
    const failed = await failRun(ref, `stalled: the run showed no progress for ${minutes} minutes`, {
      reschedule: false,
      // Unless it showed life since the index was read (the index lags the table).
      guard: { condition: 'heartbeat_at < :before', values: { ':before': before } },
    });
    if (failed) {
      ended++;
      count('SyncRunsRecovered', { reason: 'stalled' });
      logger.warn('sync run stalled: ended as error', {
        connection_id: a.connection_id,
        sync: a.sync,
        run_id: a.current_run_id,
      });
    }
  }
  return { ended };
};
