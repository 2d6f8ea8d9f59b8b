import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createIntegrationsClient, type IntegrationsClient, type Schemas } from '../../client';
import { pollQueue } from '../../local/sqs-poller';
import { contractProblem } from '../contract';
import { type GitHubFake, startGitHubFake } from '../fakes/github';
import { recordOutput } from '../leak-watch';
import { type Harness, startHarness } from './harness';

/**
 * The typed client (client/, generated from docs/openapi.json) against the local stack, a
 * whole flow as a user's backend runs it: create an integration, connect the fake GitHub,
 * trigger a sync, poll the run, read the records. Every answer is also held against the
 * contract (test/contract.ts). That this file type-checks is the other half of the test:
 * paths, bodies and answers are the generated types.
 */
const ISSUES = 42;
let h: Harness;
let fake: GitHubFake;
let api: IntegrationsClient;
let poller: { stop: () => Promise<void> };
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
const root = resolve(import.meta.dirname, '../..');

/** fetch, holding each answer against the contract before the client reads it. */
const checkedFetch = async (request: Request): Promise<Response> => {
  const response = await fetch(request);
  const text = await response.clone().text();
  recordOutput(text);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the contract check says so
  }
  const problem = await contractProblem({
    method: request.method,
    url: request.url,
    status: response.status,
    headers: response.headers,
    body,
  });
  if (problem) throw new Error(`contract: ${request.method} ${request.url} → ${response.status}: ${problem}`);
  return response;
};

beforeAll(async () => {
  h = await startHarness();
  fake = await startGitHubFake();
  fake.seedIssues(ISSUES, { repo: 'acme/client' });
  api = createIntegrationsClient({ baseUrl: h.gateway.url, key: h.key, fetch: checkedFetch });
  poller = pollQueue({
    sqs,
    queueUrl: process.env.SYNC_QUEUE_URL as string,
    handler: 'functions/workers/sync-worker.ts',
    batchSize: 1,
    timeoutMs: 300_000,
  });
});
afterAll(async () => {
  await poller.stop();
  sqs.destroy();
  await h.stop();
  await fake.stop();
});

it('serves the committed OpenAPI document at GET /v1/openapi.json, without a key', async () => {
  const anonymous = createIntegrationsClient({ baseUrl: h.gateway.url, key: '', fetch: checkedFetch });
  const { data, response } = await anonymous.GET('/v1/openapi.json');
  expect(response.status).toBe(200);
  expect(data).toEqual(JSON.parse(readFileSync(resolve(root, 'docs/openapi.json'), 'utf8')));
});

it('integration → connection → sync → run → records, through the typed client', {
  timeout: 60_000,
}, async () => {
  const integration = await api.POST('/v1/integrations', {
    body: { unique_key: 'gh-client', provider: 'github', endpoints: { api_base_url: fake.apiBaseUrl } },
  });
  expect(integration.response.status).toBe(201);
  expect(integration.data?.data.has_oauth_client_secret).toBe(false);

  const created = await api.POST('/v1/connections', {
    body: { integration: 'gh-client', end_user_id: 'u_client', credentials: fake.valid },
  });
  expect(created.response.status, JSON.stringify(created.error)).toBe(201);
  const connection = created.data?.data as Schemas['Connection'];
  expect(connection).toMatchObject({ integration: 'gh-client', provider: 'github', status: 'active' });

  const triggered = await api.POST('/v1/syncs/trigger', {
    body: { connection_id: connection.id, syncs: ['issues'] },
  });
  expect(triggered.response.status).toBe(202);
  const runId = triggered.data?.data.runs[0]?.id as string;

  let run: Schemas['SyncRun'] | undefined;
  for (let i = 0; i < 300 && run?.status !== 'success' && run?.status !== 'error'; i++) {
    if (i) await new Promise((r) => setTimeout(r, 100));
    run = (await api.GET('/v1/sync-runs/{id}', { params: { path: { id: runId } } })).data?.data;
  }
  expect(run, JSON.stringify(run)).toMatchObject({ status: 'success', records: { added: ISSUES } });

  const records: Schemas['WorkItemRecord'][] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10; page++) {
    const r = await api.GET('/v1/records', {
      params: {
        query: { connection_id: connection.id, model: 'work_item', limit: 20, ...(cursor ? { cursor } : {}) },
      },
    });
    const feed = r.data?.data;
    records.push(...((feed?.records ?? []) as Schemas['WorkItemRecord'][]));
    cursor = feed?.next_cursor ?? undefined;
    if (!feed?.has_more) break;
  }
  expect(records).toHaveLength(ISSUES);
  expect(new Set(records.map((r) => r.id)).size).toBe(ISSUES);
  for (const r of records) expect(r._meta.last_action).toBe('added');

  // Errors come typed too: the envelope, with the route's codes.
  const missing = await api.GET('/v1/sync-runs/{id}', { params: { path: { id: 'run_nope' } } });
  expect(missing.response.status).toBe(404);
  expect(missing.error?.error.code).toBe('not_found');
});
