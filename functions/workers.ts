import type { z } from 'zod/mini';
import { importMessage } from '../core/imports/message';
import { outboundMessage } from '../core/outbound/events';
import { type QueueName, queues } from '../core/platform/resources';
import { schedulerShardMessage, syncMessage } from '../core/syncs/message';
import { webhookEventMessage } from '../core/webhooks/message';
import type { Access } from './routes';

/**
 * THE worker table: every Lambda that is not an API route, with what triggers it and
 * what it may touch. CDK builds one function per row (lib/workers.ts), the local runtime
 * runs the same rows (queue pollers, the scheduler timer, the webhook function URL), and
 * the handler bench bundles them. Nothing else lists workers.
 *
 * Imports stay definitions only — resources and the zod-only message schemas — because
 * lib/ reads this file (test/unit/import-rules.ts checks it).
 */

/** What a worker may touch; as a route's `access`, plus the queues' DLQs it sends to or drains itself. */
export type WorkerAccess = Omit<Access, 'queues' | 'describeTables'> & {
  queues?: Partial<Record<QueueName, 'send'>>;
  /**
   * `send`: code that dead-letters by itself (outbound deliveries given up after 24 h).
   * `drain`: code that receives and deletes the DLQ's messages (the scheduler ends the runs
   * of the sync queue's dead letters).
   */
  deadLetterQueues?: Partial<Record<QueueName, 'send' | 'drain'>>;
  /** The API's own URL (`PUBLIC_API_URL`): token refreshes build the OAuth redirect URI from it. */
  publicApiUrl?: boolean;
};

/**
 * What invokes a worker. A new kind is a new member here; lib/ and local/ switch over `kind`
 * exhaustively, so neither compiles until it handles it. (The CSV import worker needs none:
 * S3 notifies its queue — `buckets` in core/platform/resources.ts — and it consumes that.)
 */
export type WorkerTrigger =
  | {
      kind: 'queue';
      queue: QueueName;
      /** Messages per invocation (the event source's batch size; the local poller's too). */
      batchSize: number;
      /** The message's schema, shared with its producers. */
      message: z.ZodMiniType;
    }
  | {
      kind: 'schedule';
      everyMinutes: number;
      /** EventBridge retries of a failed invocation, and how old an event may get. */
      retryAttempts: number;
      maxEventAgeSeconds: number;
    }
  | {
      kind: 'function_url';
      /** The path every request arrives under: `/<basePath>/…` (a function URL takes any path). */
      basePath: string;
    };

export type Worker = {
  /** Module (from the repository root) exporting `handler`. */
  entry: string;
  description: string;
  trigger: WorkerTrigger;
  timeoutSeconds: number;
  /** @default 512 */
  memoryMb?: number;
  /** Node flags, on node's command line after the Lambda runtime's own (lib/node-flags.sh). */
  nodeFlags?: readonly string[];
  /**
   * How many instances may run at once: the function's reserved concurrency (set aside from
   * the account's pool, and a cap) and, for a queue worker, its event source's maximum
   * concurrency — the same number, so the pollers never invoke more than the reservation
   * and no message is throttled back to the queue. Each group has its own budget: a backfill
   * of syncs or a flood of outbound deliveries cannot take the concurrency the webhook
   * receiver and the API need. `context` names the CDK context value that overrides it
   * (`cdk deploy -c <name>=<n>`, or `off`).
   */
  concurrency: { context: string; default: number };
  access: WorkerAccess;
};

/**
 * Node flags of the sync and import workers. A long run allocates at a steady rate, and V8
 * then grows its young generation to its cap: on Lambda the runtime's, a 64 MB semi-space
 * at 1,024 MB of memory, 128 MB of RSS that is never live data (the live heap stays
 * 16–40 MB). A 16 MB semi-space keeps peak RSS low at no cost in throughput (`npm run bench
 * -- sync` and `-- import` run the workers as Lambda starts them, with these flags: the
 * import worker 251 → 147 MB at 100,000 rows). At the sync worker's 256 MB the runtime's own
 * is 12 MB, which V8 rounds up to 16: the flag pins it should the memory grow again. They
 * reach node through lib/node-flags.sh: in NODE_OPTIONS the runtime's own heap flags would
 * beat them.
 */
export const syncWorkerNodeFlags = ['--max-semi-space-size=16'] as const;

/**
 * The import worker's: the same young generation, and peak RSS flat in the file's length.
 * After each major GC V8 keeps the old-space pages it emptied in a pool, committed and
 * resident, and empties the pool only in a memory-reducing GC — which it schedules when the
 * program goes idle, never while a file streams — so RSS followed the highest the old space
 * had ever been, higher the longer the file (147 MB at 100,000 rows, 157–162 at 1,000,000).
 * `--memory-saver-mode` makes every major GC memory-reducing and grows the old generation
 * conservatively: ~110 MB at both sizes, for more time in GC (`npm run bench -- import`; the
 * README has the figures and the throughput it costs).
 */
export const importWorkerNodeFlags = [...syncWorkerNodeFlags, '--memory-saver-mode'] as const;

export const workers: readonly Worker[] = [
  {
    entry: 'functions/workers/sync-worker.ts',
    description: 'Runs one sync per SQS message',
    trigger: { kind: 'queue', queue: 'sync', batchSize: 1, message: syncMessage },
    timeoutSeconds: queues.sync.consumerTimeoutSeconds,
    // A run mostly waits on the provider, and is billed by memory × time: 256 MB is a
    // quarter of 1,024's price. A 100,000-record backfill peaks at 128 MB RSS with V8 sized
    // as Lambda sizes it at 256 MB (`npm run bench -- sync`, which starts the worker so); its
    // CPU share is a quarter too, which a backfill spends in more invocations (it re-queues
    // itself), not in failures.
    memoryMb: 256,
    nodeFlags: syncWorkerNodeFlags,
    concurrency: { context: 'syncWorkerConcurrency', default: 100 },
    access: {
      // Leases (one run per connection + sync, one token refresh at a time) live in dedupe.
      tables: { state: 'write', runs: 'write', records: 'write', dedupe: 'write' },
      // A run longer than one invocation re-queues itself; finished runs and expired
      // connections emit outbound webhook events.
      queues: { sync: 'send', outbound: 'send' },
      // Decrypts the connection's tokens; refreshing one needs the integration's OAuth
      // client secret or app key.
      secrets: { dataKey: 'read', integrationSecrets: 'read' },
      publicApiUrl: true,
    },
  },
  {
    entry: 'functions/workers/scheduler.ts',
    description:
      'Ends dead-lettered and stalled runs, then sends one message per schedule shard (every minute)',
    // A missed tick is made up by the next one a minute later; no point retrying long.
    trigger: { kind: 'schedule', everyMinutes: 1, retryAttempts: 2, maxEventAgeSeconds: 60 },
    timeoutSeconds: 60,
    // One at a time: a tick that overlaps the previous one waits (EventBridge retries it).
    concurrency: { context: 'schedulerConcurrency', default: 1 },
    access: {
      // Sync states and runs; leases (dedupe) tell a run some worker is still running.
      tables: { state: 'write', runs: 'write', dedupe: 'read' },
      // One tick message per schedule shard; sync.failed and connection.sync_status_changed
      // of the runs it ends.
      queues: { schedulerShard: 'send', outbound: 'send' },
      // The sync queue's dead letters: each one's run is ended `error` (core/syncs/recovery.ts).
      // The scheduler rather than a consumer of its own: no function, role or event source
      // more for a queue that should stay empty, and a minute's latency is fine.
      deadLetterQueues: { sync: 'drain' },
    },
  },
  {
    entry: 'functions/workers/scheduler-shard.ts',
    description: 'Queues the due syncs of one schedule shard (one message per shard a minute)',
    // One shard an invocation: a shard is ~200 due syncs a minute at the design scenario.
    trigger: { kind: 'queue', queue: 'schedulerShard', batchSize: 1, message: schedulerShardMessage },
    timeoutSeconds: queues.schedulerShard.consumerTimeoutSeconds,
    // 256 shards a minute at ~0.1 s each is a few instances; 16 absorb a backlog after an
    // outage (docs/scale.md, "The scheduler bench") without starving the sync workers.
    concurrency: { context: 'schedulerShardConcurrency', default: 16 },
    access: {
      // Claims sync states and reads their connections (state), writes the runs (runs).
      tables: { state: 'write', runs: 'write' },
      queues: { sync: 'send' },
    },
  },
  {
    entry: 'functions/workers/webhook-receiver.ts',
    description: 'Provider webhooks: verify signature, enqueue',
    // No IAM auth: providers can't sign AWS requests; each delivery is authenticated by
    // the provider's signature over the raw body instead.
    trigger: { kind: 'function_url', basePath: 'webhooks' },
    timeoutSeconds: 10,
    // ≈ 1,000 deliveries a second at ~50 ms each; a flood past it is throttled and providers retry.
    concurrency: { context: 'webhookReceiverReservedConcurrency', default: 50 },
    access: {
      // The integration, and its webhook secret to verify signatures. One durable write
      // on the acknowledgement path, the queue's: no table write (DESIGN.md).
      tables: { state: 'read' },
      secrets: { integrationSecrets: 'read' },
      queues: { webhook: 'send' },
    },
  },
  {
    entry: 'functions/workers/webhook-processor.ts',
    description: 'Applies queued provider webhook events to records',
    trigger: { kind: 'queue', queue: 'webhook', batchSize: 10, message: webhookEventMessage },
    timeoutSeconds: queues.webhook.consumerTimeoutSeconds,
    concurrency: { context: 'webhookProcessorConcurrency', default: 50 },
    access: {
      // Runs of the syncs it triggers and the log of events it could not use (runs);
      // delivery-id claims, so a redelivery is applied once (dedupe).
      tables: { state: 'write', records: 'write', runs: 'write', dedupe: 'write' },
      // Syncs it triggers; records.changed and provider.event to the tenant's subscribers.
      queues: { sync: 'send', outbound: 'send' },
    },
  },
  {
    entry: 'functions/workers/import-worker.ts',
    description: 'Imports uploaded CSV files into records (S3 event → SQS)',
    // One import at a time an invocation: a file streams for up to 15 minutes.
    trigger: { kind: 'queue', queue: 'import', batchSize: 1, message: importMessage },
    timeoutSeconds: queues.import.consumerTimeoutSeconds,
    // Rows are parsed and mapped on the CPU; more memory also means more CPU.
    memoryMb: 1024,
    nodeFlags: importWorkerNodeFlags,
    // Imports are long and few: ten at a time keep the records table's write rate in check.
    concurrency: { context: 'importWorkerConcurrency', default: 10 },
    access: {
      // Imports and their checkpoints (runs), the csv connections (state), records, and the
      // leases (dedupe) keeping one worker per import and one writer per connection.
      tables: { state: 'write', runs: 'write', records: 'write', dedupe: 'write' },
      // A file longer than one invocation re-queues its import; import.* and records.changed events.
      queues: { import: 'send', outbound: 'send' },
      buckets: { imports: 'read' },
    },
  },
  {
    entry: 'functions/workers/outbound-worker.ts',
    description: 'Delivers outbound webhooks (one attempt per SQS message)',
    trigger: { kind: 'queue', queue: 'outbound', batchSize: 10, message: outboundMessage },
    timeoutSeconds: queues.outbound.consumerTimeoutSeconds,
    concurrency: { context: 'outboundWorkerConcurrency', default: 50 },
    access: {
      // The subscription (its URL and sealed secret); attempts logged beside sync runs.
      tables: { state: 'read', runs: 'write' },
      // Unseals the subscription's signing secret.
      secrets: { dataKey: 'read' },
      // Retries are new, delayed messages; after 24 h a delivery is dead-lettered by the worker.
      queues: { outbound: 'send' },
      deadLetterQueues: { outbound: 'send' },
    },
  },
];

export type QueueWorker = Worker & { trigger: Extract<WorkerTrigger, { kind: 'queue' }> };

/** The worker consuming each queue (one per queue, as an SQS event source wants). */
export const queueWorkers: readonly QueueWorker[] = workers.filter(
  (w): w is QueueWorker => w.trigger.kind === 'queue',
);

export const workerFor = (queue: QueueName): QueueWorker => {
  const w = queueWorkers.find((x) => x.trigger.queue === queue);
  if (!w) throw new Error(`no worker consumes the ${queue} queue`);
  return w;
};

const only = <K extends WorkerTrigger['kind']>(kind: K) => {
  const found = workers.filter((w) => w.trigger.kind === kind);
  if (found.length !== 1) throw new Error(`the worker table wants one ${kind} worker, has ${found.length}`);
  return found[0] as Worker & { trigger: Extract<WorkerTrigger, { kind: K }> };
};

/** The scheduler (EventBridge) and the webhook receiver (function URL). */
export const schedulerWorker = only('schedule');
export const webhookReceiver = only('function_url');
