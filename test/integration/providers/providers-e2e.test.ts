/// <reference types="vite/client" />
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter } from '../../../adapters';
import { modelSchemas } from '../../../adapters/models';
import { SETTLE_MS } from '../../../core/store/records-repo';
import { workerFor } from '../../../functions/workers';
import { pollWorker } from '../../../local/runtime';
import { call, type Harness, type Json, startHarness } from '../harness';
import type { ProviderScenario, StartedScenario } from './scenario';

/**
 * Issue 6 "done when", for every provider with a scenario (test/integration/providers/
 * *.scenario.ts), through the HTTP API as a user tries it: create the integration and
 * connect against the provider's fake; run each sync through the real worker and read
 * its records in the unified model; execute each action through POST /v1/tools/execute;
 * see each error class mapped (refusal → 422 action_failed with the provider's message,
 * 5xx → 502 provider_unreachable, rate limit → 429 with Retry-After, bad input → 422).
 *
 * SCENARIO=<provider> runs one.
 */
const modules = import.meta.glob<{ default: ProviderScenario }>('./*.scenario.ts', { eager: true });
const only = process.env.SCENARIO;
const scenarios = Object.values(modules)
  .map((m) => m.default)
  .filter((s) => only === undefined || s.provider === only);

let h: Harness;
let poller: { stop: () => Promise<void> };
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });

const api = (
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) =>
  call(h.gateway.url, path, {
    key: h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.headers ? { headers: init.headers } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

const waitForRun = async (runId: string): Promise<Json> => {
  for (let i = 0; i < 600; i++) {
    const r: Json = (await api(`/v1/sync-runs/${runId}`)).body.data;
    if (r.status === 'success' || r.status === 'error') return r;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`run ${runId} did not finish`);
};

/** Every record of one model; call it once the feed has settled (SETTLE_MS after the last write). */
const readAll = async (connectionId: string, model: string): Promise<Json[]> => {
  const out: Json[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 1000; i++) {
    const r: Json = (
      await api(
        `/v1/records?connection_id=${connectionId}&model=${model}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      )
    ).body.data;
    out.push(...r.records);
    cursor = r.next_cursor;
    if (!r.has_more) break;
  }
  return out;
};

beforeAll(async () => {
  h = await startHarness();
  poller = pollWorker(sqs, workerFor('sync'));
});
afterAll(async () => {
  await poller.stop();
  sqs.destroy();
  await h.stop();
});

it('has a scenario for every provider it is asked for', () => {
  expect(scenarios.length, `no scenario for ${only}`).toBeGreaterThan(0);
});

describe.each(scenarios.map((s) => [s.provider, s] as const))('%s', async (provider, scenario) => {
  let s: StartedScenario;
  let connectionId: string;
  const manifest = (await loadAdapter(provider))?.manifest;

  beforeAll(async () => {
    s = await scenario.start();
    const integration = await api('/v1/integrations', {
      method: 'POST',
      body: { unique_key: `${provider}-e2e`.replaceAll('_', '-'), ...s.integration },
    });
    expect(integration.status, JSON.stringify(integration.body)).toBe(201);
    const c = await api('/v1/connections', {
      method: 'POST',
      body: { integration: integration.body.data.unique_key, end_user_id: `u_${provider}`, ...s.connection },
    });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    connectionId = c.body.data.id;
    // Only the runs this test triggers.
    for (const sync of manifest?.syncs ?? []) {
      await api(`/v1/connections/${connectionId}/syncs/${sync.name}`, {
        method: 'PATCH',
        body: { paused: true },
      });
    }
  });
  afterAll(() => s?.stop());

  it('covers every sync and action the provider declares', () => {
    expect(Object.keys(s.syncs).sort()).toEqual((manifest?.syncs ?? []).map((x) => x.name).sort());
    expect(Object.keys(s.actions).sort()).toEqual((manifest?.actions ?? []).map((x) => x.name).sort());
  });

  // Every sync through the real worker, pages of two and more: the largest scenarios (GitHub,
  // GitLab) take ~35 s on a loaded 2-core machine. A limit on a hung run, not a speed claim.
  it('runs every sync, and the feed holds its records in the unified model', {
    timeout: 180_000,
  }, async () => {
    const expected = new Map<string, number>();
    // All of them in one trigger, as a user would: each run still reads `running` for
    // SETTLE_MS after its last write, and those waits now overlap instead of adding up.
    // (A provider without syncs, Resend, has nothing to trigger.)
    const names = Object.keys(s.syncs);
    const runs = new Map<string, string>();
    if (names.length > 0) {
      const t = await api('/v1/syncs/trigger', {
        method: 'POST',
        body: { connection_id: connectionId, syncs: names, mode: 'full' },
      });
      expect(t.status, JSON.stringify(t.body)).toBe(202);
      for (const r of t.body.data.runs as Json[]) runs.set(r.sync, r.id);
    }
    expect([...runs.keys()].sort()).toEqual([...names].sort());
    for (const [name, sync] of Object.entries(s.syncs)) {
      const run = await waitForRun(runs.get(name) as string);
      expect(run.sync).toBe(name);
      expect(run.status, `${name}: ${run.error}`).toBe('success');
      expect(run.records.added, name).toBe(sync.count);
      expected.set(sync.model, (expected.get(sync.model) ?? 0) + sync.count);
    }
    // Readers stop SETTLE_MS short of now: one wait after the last run covers every model.
    await new Promise((r) => setTimeout(r, SETTLE_MS + 200));
    for (const [model, count] of expected) {
      const records = await readAll(connectionId, model);
      expect(records.length, model).toBe(count);
      expect(new Set(records.map((r) => r.id)).size).toBe(count);
      const schema = modelSchemas[model as keyof typeof modelSchemas];
      expect(schema, `no schema for ${model}`).toBeDefined();
      for (const r of records) {
        const { id: _id, _meta, ...fields } = r;
        const parsed = schema.safeParse(fields);
        expect(parsed.success, `${r.id}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
        expect(_meta.last_action).toBe('added');
      }
    }
  });

  it('executes every action through /v1/tools/execute', async () => {
    for (const [action, a] of Object.entries(s.actions)) {
      const r = await api('/v1/tools/execute', {
        method: 'POST',
        body: { tool: `${provider}_${action}`, connection_id: connectionId, input: a.input },
      });
      expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
      expect(r.body.data.successful).toBe(true);
      await a.check(r.body.data.data);
    }
  });

  it('lists its tools, each with an input schema', async () => {
    const r = await api(`/v1/tools?connection_id=${connectionId}&limit=100`);
    expect(r.status).toBe(200);
    expect(r.body.data.tools.map((t: Json) => t.name).sort()).toEqual(
      Object.keys(s.actions)
        .map((a) => `${provider}_${a}`)
        .sort(),
    );
    for (const t of r.body.data.tools) expect(t.input_schema.type).toBe('object');
  });

  it('maps each error class as API.md says', async () => {
    const probe = {
      tool: `${provider}_${s.probe}`,
      connection_id: connectionId,
      input: s.actions[s.probe]?.input,
    };
    const execute = () => api('/v1/tools/execute', { method: 'POST', body: probe });

    s.failNext('refuse');
    const refused = await execute();
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body.error.code).toBe('action_failed');
    expect(refused.body.error.details.provider_message).toContain(s.refusalMessage);

    s.failNext('down');
    const down = await execute();
    expect(down.status, JSON.stringify(down.body)).toBe(502);
    expect(down.body.error.code).toBe('provider_unreachable');

    s.failNext('rate_limit', 7);
    const limited = await execute();
    expect(limited.status, JSON.stringify(limited.body)).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    // And the provider is fine again: nothing stuck.
    expect((await execute()).status).toBe(200);
  });

  it('refuses input that fails the tool schema with 422 validation_failed, calling nothing', async () => {
    const [action, a] =
      Object.entries(s.actions).find(([, x]) => Object.keys(x.input).length > 0) ??
      Object.entries(s.actions)[0] ??
      [];
    if (!action || !a) throw new Error('no action');
    const bad = Object.fromEntries(Object.keys(a.input).map((k) => [k, { not: 'this' }]));
    const r = await api('/v1/tools/execute', {
      method: 'POST',
      body: { tool: `${provider}_${action}`, connection_id: connectionId, input: bad },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(r.body.error.code).toBe('validation_failed');
    expect(r.body.error.details.issues[0].path).toMatch(/^input/);
  });
});
