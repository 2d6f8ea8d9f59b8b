import { expect } from 'vitest';
import {
  type Credentials,
  loadAdapter,
  type SyncContext,
  type SyncPage,
  type SyncRecord,
} from '../../../adapters';
import { modelSchemas } from '../../../adapters/models';
import { providerHttp } from '../../../core/platform/provider-http';

export type SyncCall = {
  credentials: Credentials;
  baseUrl: string;
  config?: Record<string, unknown>;
  metadata?: Record<string, string>;
  checkpoint?: unknown;
  mode?: 'incremental' | 'full';
  since?: string;
};

/** One page, exactly as the engine asks for it: through the registry, with the shared http client. */
export const fetchPage = async (provider: string, sync: string, call: SyncCall): Promise<SyncPage> => {
  const fn = (await loadAdapter(provider))?.syncs?.[sync];
  if (!fn) throw new Error(`${provider} has no sync ${sync}`);
  const ctx: SyncContext = {
    credentials: call.credentials,
    baseUrl: call.baseUrl,
    config: call.config ?? {},
    metadata: call.metadata ?? {},
    http: providerHttp,
    mode: call.mode ?? (call.since === undefined ? 'full' : 'incremental'),
    ...(call.checkpoint !== undefined ? { checkpoint: call.checkpoint } : {}),
    ...(call.since !== undefined ? { since: call.since } : {}),
  };
  return fn.fetchPage(ctx);
};

/** A checkpoint as the engine keeps it: through JSON, so anything that isn't JSON shows. */
export const stored = (checkpoint: unknown): unknown =>
  checkpoint === undefined ? undefined : JSON.parse(JSON.stringify(checkpoint));

export type Run = { records: SyncRecord[]; deletedIds: string[]; pages: number; checkpoints: unknown[] };

/**
 * Pages from `call.checkpoint` (none: the start) to the end, each checkpoint through JSON;
 * `maxPages` stops early (the run is then unfinished, its last checkpoint in `checkpoints`).
 */
export const runSync = async (
  provider: string,
  sync: string,
  call: SyncCall,
  o: { maxPages?: number } = {},
): Promise<Run> => {
  const run: Run = { records: [], deletedIds: [], pages: 0, checkpoints: [] };
  let checkpoint = stored(call.checkpoint);
  for (;;) {
    if (o.maxPages !== undefined && run.pages >= o.maxPages) return run;
    if (run.pages > 10_000) throw new Error('the sync does not end');
    const { checkpoint: _, ...rest } = call;
    const page = await fetchPage(provider, sync, checkpoint === undefined ? rest : { ...rest, checkpoint });
    run.pages += 1;
    run.records.push(...page.records);
    run.deletedIds.push(...(page.deletedIds ?? []));
    if (page.next === undefined) return run;
    checkpoint = stored(page.next);
    run.checkpoints.push(checkpoint);
  }
};

/** Every record valid for its model, ids unique. */
export const expectValid = (records: SyncRecord[], model: keyof typeof modelSchemas) => {
  for (const r of records) {
    const parsed = modelSchemas[model].safeParse(r.data);
    expect(parsed.success, `${r.id}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
  }
  expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
};

export const idsOf = (records: SyncRecord[]) => records.map((r) => r.id).sort();
