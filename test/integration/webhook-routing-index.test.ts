import { createHmac, randomUUID } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { InitializeHandler, InitializeHandlerArguments } from '@smithy/types';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dynamo } from '../../core/platform/aws';
import { tableName } from '../../core/platform/config';
import { batchDelete, getConnection } from '../../core/store/connections-repo';
import { getIntegration } from '../../core/store/integrations-repo';
import { SETTLE_MS } from '../../core/store/records-repo';
import { reindexRoutes } from '../../core/webhooks/routes';
import { workerFor } from '../../functions/workers';
import { pollWorker } from '../../local/runtime';
import { type GitHubFake, startGitHubFake } from '../fakes/github';
import { call, type Harness, type Json, startHarness } from './harness';

/**
 * Webhook routing through the index (core/webhooks/routes.ts): an event finds its
 * connections by the keys it names, one Query per key, instead of listing the integration's
 * connections (at 200,000 connections, ~400 MB per container every 10 s). An integration made
 * before the index still routes by listing until `admin -- reindex-routes` indexes it.
 */
const SECRET = `whsec-idx-${randomUUID()}`;
let h: Harness;
let fake: GitHubFake;
let poller: { stop: () => Promise<void> };
let connectionId: string;
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
/** Queries of the state table, by what they read: a connection listing or a route partition. */
const queries = { listings: 0, routes: 0, integrationReads: 0 };

const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  call(h.gateway.url, path, {
    key: h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

const send = async (title: string) => {
  const id = 700_000 + Math.floor(Math.random() * 90_000);
  const body = JSON.stringify({
    action: 'edited',
    issue: {
      id,
      number: id % 1000,
      title,
      body: null,
      state: 'open',
      html_url: `https://github.com/${fake.account.name}/product/issues/${id % 1000}`,
      labels: [],
      assignees: [],
      user: { login: fake.account.name, id: Number(fake.account.id) },
      created_at: '2026-01-01T00:00:00Z',
      updated_at: new Date().toISOString(),
    },
    repository: {
      id: 5,
      name: 'product',
      full_name: `${fake.account.name}/product`,
      owner: { id: Number(fake.account.id), login: fake.account.name },
    },
    sender: { id: Number(fake.account.id), login: fake.account.name },
  });
  const res = await fetch(`${h.gateway.url}/webhooks/${h.tenantId}/gh-index`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'issues',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    },
    body,
  });
  expect(res.status).toBe(200);
};

/** Waits until every title is in the connection's records. */
const arrives = async (...titles: string[]) => {
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const r = await api(`/v1/records?connection_id=${connectionId}&model=work_item&limit=100`);
    const seen = new Set((r.body.data.records as Json[]).map((x) => x.title));
    if (titles.every((t) => seen.has(t))) return;
  }
  throw new Error(`${titles.join(', ')} never all reached the records`);
};

beforeAll(async () => {
  dynamo().middlewareStack.add(
    ((next: InitializeHandler<object, object>, context: { commandName?: string }) =>
      async (args: InitializeHandlerArguments<object>) => {
        if (/^Query(Command)?$/.test(context.commandName ?? '')) {
          const input = args.input as { ExpressionAttributeValues?: Record<string, unknown> };
          const values = JSON.stringify(input.ExpressionAttributeValues ?? {});
          if (values.includes('CONN#') && values.includes(`TENANT#${h?.tenantId}"`)) queries.listings++;
          if (values.includes(`#ROUTE#gh-index#`)) queries.routes++;
        }
        if (/^Get(Item)?Command$/.test(context.commandName ?? '')) {
          const key = JSON.stringify((args.input as { Key?: unknown }).Key ?? {});
          if (key.includes(`TENANT#${h?.tenantId}"`) && key.includes('gh-index')) queries.integrationReads++;
        }
        return next(args);
      }) as never,
    { step: 'initialize', name: 'countRoutingQueries' },
  );
  h = await startHarness();
  fake = await startGitHubFake();
  const i = await api('/v1/integrations', {
    method: 'POST',
    body: {
      unique_key: 'gh-index',
      provider: 'github',
      webhook_secret: SECRET,
      endpoints: { api_base_url: fake.apiBaseUrl },
    },
  });
  expect(i.status, JSON.stringify(i.body)).toBe(201);
  const c = await api('/v1/connections', {
    method: 'POST',
    body: { integration: 'gh-index', end_user_id: 'u_index', credentials: fake.valid },
  });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  connectionId = c.body.data.id;
  for (const s of ['issues', 'pull_requests', 'repositories']) {
    await api(`/v1/connections/${connectionId}/syncs/${s}`, { method: 'PATCH', body: { paused: true } });
  }
  poller = pollWorker(sqs, workerFor('webhook'));
}, 180_000);
afterAll(async () => {
  await poller?.stop();
  sqs.destroy();
  await h?.stop();
  await fake?.stop();
});

it('a new integration routes through the index: no listing of its connections', {
  timeout: 120_000,
}, async () => {
  expect((await getIntegration(h.tenantId, 'gh-index'))?.routes_indexed).toBe(true);
  const c = await getConnection(h.tenantId, connectionId);
  expect(c?.routing_keys).toEqual(expect.arrayContaining([`account:${fake.account.id}`]));
  Object.assign(queries, { listings: 0, routes: 0 });
  await send('Routed by the index');
  await arrives('Routed by the index');
  expect(queries.routes).toBeGreaterThanOrEqual(1);
  expect(queries.listings).toBe(0);
});

it("a batch of one org's events reads its route and its integration once, not once per event", {
  timeout: 120_000,
}, async () => {
  // What one event reads: a Query per key it names, and its integration.
  Object.assign(queries, { listings: 0, routes: 0, integrationReads: 0 });
  await send('Alone in its batch');
  await arrives('Alone in its batch');
  const perEvent = queries.routes;
  expect(perEvent).toBeGreaterThanOrEqual(1);
  expect(queries.integrationReads).toBeGreaterThanOrEqual(1);
  // Eight events queued while no processor runs, then taken in batches (up to 10 a batch).
  await poller.stop();
  Object.assign(queries, { listings: 0, routes: 0, integrationReads: 0 });
  const titles = Array.from({ length: 8 }, (_, i) => `Batched ${i} ${randomUUID().slice(0, 6)}`);
  for (const t of titles) await send(t);
  poller = pollWorker(sqs, workerFor('webhook'));
  await arrives(...titles);
  // Each applied, with fewer route reads than one per event (8 × perEvent before).
  expect(queries.routes).toBeLessThan(titles.length * perEvent);
  expect(queries.routes % perEvent).toBe(0);
  // The integration too: once a batch (and by the receiver at most once, its cache expiring), not once an event.
  expect(queries.integrationReads).toBeLessThan(titles.length);
  expect(queries.listings).toBe(0);
});

it('an integration made before the index routes by listing, then by the index once reindexed', {
  timeout: 120_000,
}, async () => {
  // As it was written before the index: no flag, no keys, no route items.
  const c = await getConnection(h.tenantId, connectionId);
  await batchDelete(
    tableName('state'),
    (c?.routing_keys ?? []).map((k) => ({
      pk: `TENANT#${h.tenantId}#ROUTE#gh-index#${k}`,
      sk: `CONN#${connectionId}`,
    })),
  );
  await dynamo().send(
    new UpdateCommand({
      TableName: tableName('state'),
      Key: { pk: `TENANT#${h.tenantId}`, sk: `CONN#${connectionId}` },
      UpdateExpression: 'REMOVE routing_keys',
    }),
  );
  await dynamo().send(
    new UpdateCommand({
      TableName: tableName('state'),
      Key: { pk: `TENANT#${h.tenantId}`, sk: 'INTEGRATION#gh-index' },
      UpdateExpression: 'REMOVE routes_indexed',
    }),
  );
  Object.assign(queries, { listings: 0, routes: 0 });
  await send('Routed by listing');
  await arrives('Routed by listing');
  expect(queries.listings).toBeGreaterThanOrEqual(1);
  expect(queries.routes).toBe(0);

  const r = await reindexRoutes();
  expect(r.integrations).toBeGreaterThanOrEqual(1);
  expect(r.connections).toBeGreaterThanOrEqual(1);
  expect((await getIntegration(h.tenantId, 'gh-index'))?.routes_indexed).toBe(true);
  expect((await getConnection(h.tenantId, connectionId))?.routing_keys).toEqual(
    expect.arrayContaining([`account:${fake.account.id}`]),
  );
  Object.assign(queries, { listings: 0, routes: 0 });
  await send('Routed by the index again');
  await arrives('Routed by the index again');
  expect(queries.listings).toBe(0);
  expect(queries.routes).toBeGreaterThanOrEqual(1);
});

it('deleting the connection deletes its route items: its events are kept unrouted', {
  timeout: 120_000,
}, async () => {
  const keys = (await getConnection(h.tenantId, connectionId))?.routing_keys ?? [];
  expect(keys.length).toBeGreaterThan(0);
  expect((await api(`/v1/connections/${connectionId}`, { method: 'DELETE' })).status).toBe(200);
  const left = await dynamo().send(
    new QueryCommand({
      TableName: tableName('state'),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `TENANT#${h.tenantId}#ROUTE#gh-index#${keys[0]}` },
    }),
  );
  expect(left.Items).toEqual([]);
  await send('Nobody to route to');
  for (let i = 0; i < 100; i++) {
    const r = await api('/v1/integrations/gh-index/webhook-events');
    const kept = (r.body.data.webhook_events as Json[]).find((e) => e.status === 'unrouted');
    if (kept) return;
    await new Promise((res) => setTimeout(res, 300));
  }
  throw new Error('the event was never kept unrouted');
});
