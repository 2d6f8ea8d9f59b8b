/**
 * The AWS resources the service runs on, as plain data. `lib/` builds them with CDK
 * and `local/` creates the same ones on the local counterparts, so the two can't drift.
 * Key layouts and why they look this way: core/store/README.md.
 */

export type KeyAttr = { name: string; type: 'S' | 'N' };

export type TableDefinition = {
  /** Logical id: the CDK construct id and the local table name. */
  id: string;
  /** Environment variable that carries the physical table name to the handlers. */
  env: string;
  partitionKey: KeyAttr;
  sortKey?: KeyAttr;
  ttlAttribute?: string;
  indexes: IndexDefinition[];
};

export type IndexDefinition = {
  name: string;
  partitionKey: KeyAttr;
  sortKey?: KeyAttr;
  /**
   * Attributes copied into the index beside the keys. Absent: every attribute (ALL). A list
   * keeps a busy sparse index narrow: each write that moves its sort key rewrites the
   * projected item, so it should cost one write unit, not the whole item's size.
   */
  include?: readonly string[];
};

const s = (name: string): KeyAttr => ({ name, type: 'S' });

export const tables = {
  state: {
    id: 'State',
    env: 'STATE_TABLE',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    indexes: [
      // Sparse lookups by a global id (key id, provider account, …) for admin and routing.
      { name: 'gsi1', partitionKey: s('gsi1pk'), sortKey: s('gsi1sk') },
      // Sparse schedule index: a sync appears here only while it is enabled and unpaused.
      // Projects ALL, so every checkpoint or counter write to a running sync rewrites its
      // copy. Read only while `schedule_v2` backfills; removed in the next release
      // (docs/scale.md, "Narrowing the schedule index").
      { name: 'schedule', partitionKey: s('schedule_shard'), sortKey: s('next_run_at') },
      // The same sparse schedule, narrow: what a shard worker's claim needs (core/syncs/scheduler.ts)
      // and nothing a run writes page by page, so a checkpoint no longer touches the index.
      // A new name because DynamoDB cannot change an index's projection in place.
      {
        name: 'schedule_v2',
        partitionKey: s('schedule_shard'),
        sortKey: s('next_run_at'),
        include: ['tenant_id', 'connection_id', 'sync', 'frequency', 'paused', 'status'],
      },
      // Sparse: a sync is here only while it has a run queued or running, sorted by the run's
      // last sign of life. The scheduler's sweep reads the oldest to end runs that stalled.
      {
        name: 'active',
        partitionKey: s('run_shard'),
        sortKey: s('heartbeat_at'),
        include: ['tenant_id', 'connection_id', 'sync', 'current_run_id'],
      },
    ],
  },
  runs: {
    id: 'SyncRuns',
    env: 'RUNS_TABLE',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    ttlAttribute: 'expires_at',
    indexes: [{ name: 'gsi1', partitionKey: s('gsi1pk'), sortKey: s('gsi1sk') }],
  },
  records: {
    id: 'Records',
    env: 'RECORDS_TABLE',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    indexes: [{ name: 'feed', partitionKey: s('feed_pk'), sortKey: s('feed_cursor') }],
  },
  /**
   * The audit trail of tool calls and proxied writes (90 days). One index per filter of
   * GET /v1/tool-calls, each keyed tenant-first and sorted like the table (newest first).
   */
  audit: {
    id: 'ToolCalls',
    env: 'AUDIT_TABLE',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    ttlAttribute: 'expires_at',
    indexes: [
      { name: 'by_connection', partitionKey: s('conn_pk'), sortKey: s('sk') },
      { name: 'by_end_user', partitionKey: s('eu_pk'), sortKey: s('sk') },
      { name: 'by_workspace', partitionKey: s('ws_pk'), sortKey: s('sk') },
      { name: 'by_tool', partitionKey: s('tool_pk'), sortKey: s('sk') },
    ],
  },
  dedupe: {
    id: 'Dedupe',
    env: 'DEDUPE_TABLE',
    partitionKey: s('pk'),
    ttlAttribute: 'expires_at',
    indexes: [],
  },
} as const satisfies Record<string, TableDefinition>;

export type TableName = keyof typeof tables;

export type QueueDefinition = {
  id: string;
  env: string;
  /**
   * Timeout of the Lambda that consumes it (its row in functions/workers.ts says the same;
   * CDK checks): the queue's visibility is 6× this (AWS guidance).
   */
  consumerTimeoutSeconds: number;
  /** Receives before a message is moved to the DLQ. */
  maxReceiveCount: number;
};

export const queues = {
  sync: {
    id: 'SyncQueue',
    env: 'SYNC_QUEUE_URL',
    consumerTimeoutSeconds: 300,
    maxReceiveCount: 5,
  },
  webhook: {
    id: 'WebhookQueue',
    env: 'WEBHOOK_QUEUE_URL',
    consumerTimeoutSeconds: 60,
    maxReceiveCount: 5,
  },
  /**
   * Outbound webhooks to the tenant: one message per delivery attempt. Retries are new
   * messages with a delay (core/outbound/deliver.ts), so the redrive below only catches
   * messages the worker itself failed on; exhausted deliveries are sent to the DLQ explicitly.
   */
  outbound: {
    id: 'OutboundQueue',
    env: 'OUTBOUND_QUEUE_URL',
    // A batch's attempts run side by side, each at most 10 s.
    consumerTimeoutSeconds: 30,
    maxReceiveCount: 5,
  },
  /**
   * The scheduler's fan-out: the EventBridge tick sends one message per schedule shard a
   * minute, and the shard worker queues that shard's due syncs (core/syncs/scheduler.ts).
   * A tick message is stale a minute later (the next tick sends its own): few retries.
   */
  schedulerShard: {
    id: 'SchedulerShardQueue',
    env: 'SCHEDULER_SHARD_QUEUE_URL',
    consumerTimeoutSeconds: 60,
    maxReceiveCount: 3,
  },
  /**
   * CSV imports: the imports bucket's S3 event notifications (an object landed), and the
   * worker's own continuations (a file longer than one invocation re-queues its import).
   * Lambda's longest timeout, so an invocation gets through as much of a file as it can.
   */
  import: {
    id: 'ImportQueue',
    env: 'IMPORT_QUEUE_URL',
    consumerTimeoutSeconds: 900,
    maxReceiveCount: 5,
  },
} as const satisfies Record<string, QueueDefinition>;

export type QueueName = keyof typeof queues;

export const visibilityTimeoutSeconds = (q: QueueDefinition): number => q.consumerTimeoutSeconds * 6;

/** Environment variable that carries a queue's DLQ URL, for code that sends there itself. */
export const deadLetterQueueEnv = (q: Pick<QueueDefinition, 'env'>): string =>
  q.env.replace(/_URL$/, '_DLQ_URL');

export type BucketDefinition = {
  id: string;
  /** Environment variable that carries the physical bucket name to the handlers. */
  env: string;
  /** Objects live under this prefix; its ObjectCreated events go to `notifies`. */
  prefix: string;
  /** Objects are deleted (lifecycle rule) this many days after they land. */
  expireAfterDays: number;
  /** The queue S3 notifies when an object lands under `prefix`. */
  notifies: QueueName;
};

export const buckets = {
  /**
   * Uploaded CSV files (inline bodies and presigned PUTs alike). Kept a week: long enough to
   * resume or inspect an import, short enough that a customer's export does not linger.
   */
  imports: {
    id: 'ImportsBucket',
    env: 'IMPORTS_BUCKET',
    prefix: 'imports/',
    expireAfterDays: 7,
    notifies: 'import',
  },
} as const satisfies Record<string, BucketDefinition>;

export type BucketName = keyof typeof buckets;

export const secrets = {
  /** Data-encryption keys for per-connection credentials (AES-256-GCM), versioned for rotation. */
  dataKey: { id: 'DataKey', env: 'DATA_KEY_SECRET_ID', name: 'integrations/data-key' },
} as const;

export type SecretName = keyof typeof secrets;

/**
 * Integration-level provider secrets (OAuth client secret, webhook secret, app private
 * key): one Secrets Manager secret per integration, named under this prefix
 * (`<prefix><tenant_id>/<unique_key>/<integration_id>`), so IAM can grant exactly this family.
 */
export const integrationSecretPrefix = 'integrations/tenants/';

/** The CloudWatch namespace of the service's own metrics (core/platform/metrics.ts, lib/observability.ts). */
export const METRICS_NAMESPACE = 'Integrations';
