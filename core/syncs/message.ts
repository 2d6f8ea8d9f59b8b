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
});

export type SyncMessage = z.infer<typeof syncMessage>;
