import * as z from 'zod/mini';

/**
 * One message on the sync queue: one run of one sync of one connection. The producers
 * (core/syncs/queue.ts: trigger, scheduler, webhook, a run re-queueing itself) and the
 * consumer (functions/workers/sync-worker.ts) share this schema; zod only, so the worker
 * table (functions/workers.ts) can name it without pulling runtime code into lib/.
 */
export const syncMessage = z.object({
  tenant_id: z.string().check(z.minLength(1)),
  connection_id: z.string().check(z.minLength(1)),
  sync: z.string().check(z.minLength(1)),
  run_id: z.string().check(z.minLength(1)),
  // Messages queued before `mode` existed are incremental runs.
  mode: z._default(z.enum(['incremental', 'full']), 'incremental'),
  /**
   * Epoch ms before which the run does not go on: a rate-limit wait longer than SQS delays a
   * message (15 min) is a chain of delayed messages, each passing the rest on.
   */
  not_before: z.optional(z.number()),
  /** Epoch ms of the first rate-limit wait since the run last stored a page (engine.ts). */
  waiting_since: z.optional(z.number()),
});

export type SyncMessage = z.infer<typeof syncMessage>;

/**
 * One message on the scheduler-shard queue: "queue the syncs of `shard` due at `at`". The
 * EventBridge tick (functions/workers/scheduler.ts) sends one per shard a minute; the shard
 * worker (functions/workers/scheduler-shard.ts) consumes them. `at` is the tick's time, so a
 * message handled late or twice queues nothing the tick did not mean to.
 */
export const schedulerShardMessage = z.object({
  shard: z.int().check(z.minimum(0)),
  at: z.iso.datetime(),
});

export type SchedulerShardMessage = z.infer<typeof schedulerShardMessage>;
