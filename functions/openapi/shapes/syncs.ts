import * as z from 'zod/mini';
import { described, named, page, timestamp } from '../contract';

export const sync = named(
  'Sync',
  z.strictObject({
    name: z.string(),
    model: described(z.string(), 'The model its records have in GET /v1/records.'),
    status: z.enum(['idle', 'queued', 'running', 'success', 'error', 'paused']),
    frequency: described(z.string(), '`15m`, `1h`, `1d` …'),
    last_sync_date: z.nullable(timestamp()),
    next_sync_date: described(z.nullable(timestamp()), 'Null while paused.'),
    records_count: z.int(),
    error: z.nullable(z.string()),
  }),
  "One of a connection's syncs: its schedule and its last outcome.",
);

export const syncList = named('SyncList', z.strictObject({ syncs: z.array(sync) }));

const runFields = {
  connection_id: z.string(),
  sync: z.string(),
  trigger: z.enum(['manual', 'schedule', 'webhook']),
  mode: z.enum(['incremental', 'full']),
  status: z.enum(['queued', 'running', 'success', 'error']),
  started_at: z.nullable(timestamp()),
  finished_at: z.nullable(timestamp()),
  duration_ms: z.nullable(z.int()),
  records: described(
    z.strictObject({ added: z.int(), updated: z.int(), deleted: z.int() }),
    'What the run changed in the feed.',
  ),
  pages: z.int(),
  error: z.nullable(z.string()),
};

export const syncRun = named(
  'SyncRun',
  z.strictObject({ id: described(z.string(), '`run_…`'), ...runFields }),
  'One run of a sync. It reads `success` only once every change it wrote is visible in the feed.',
);

/** The run as `sync.completed` / `sync.failed` carry it: `run_id` for `id`. */
export const syncRunEventData = z.strictObject({ run_id: z.string(), ...runFields });

export const syncRunList = named('SyncRunList', page('sync_runs', syncRun));

export const triggered = named(
  'TriggeredRuns',
  z.strictObject({
    runs: z.array(
      z.strictObject({
        id: z.string(),
        sync: z.string(),
        status: described(z.enum(['queued', 'running']), 'A sync already queued or running answers its run.'),
      }),
    ),
  }),
);
