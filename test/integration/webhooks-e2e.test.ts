import { isUtf8 } from 'node:buffer';
import { createHmac, randomUUID } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adapter as github } from '../../adapters/github';
import { encryptFor } from '../../core/keys/credentials-crypto';
import { dynamo } from '../../core/platform/aws';
import { tableName } from '../../core/platform/config';
import { insertConnection } from '../../core/store/connections-repo';
import { getIntegration } from '../../core/store/integrations-repo';
import { SETTLE_MS } from '../../core/store/records-repo';
import type { QueuedWebhookEvent } from '../../core/webhooks/message';
import { CLAIM_STALE_MS } from '../../core/webhooks/process';
import { keysOf } from '../../core/webhooks/routing-keys';
import { logger } from '../../functions/middleware/logger';
import { workerFor } from '../../functions/workers';
import { handler as processor } from '../../functions/workers/webhook-processor';
import { handler as receiver } from '../../functions/workers/webhook-receiver';
import { lambdaContext } from '../../local/lambda-context';
import { pollWorker } from '../../local/runtime';
import { type GitHubFake, startGitHubFake } from '../fakes/github';

const githubKeys = github.connectionKeys;
if (!github.webhooks || !githubKeys) throw new Error('the GitHub adapter declares webhooks');

import { call, expectError, type Harness, type Json, startHarness } from './harness';

/**
 * Issue 7 as a user tries it, with GitHub: register the integration's webhook_url at the
 * fake, change an issue there, and the record changes in /v1/records without a sync.
 * Every signature failure class answers 401; a redelivery is accepted like any event and
 * dropped by the processor, which applies each delivery id once (copies in one batch, a
 * crash between claim and apply); an event no connection matches is kept and visible.
 */
const REPO_ISSUES = 5;
let h: Harness;
let fake: GitHubFake;
let connectionId: string;
let webhookUrl: string;
let poller: { stop: () => Promise<void> };
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
const SECRET = `whsec-gh-${randomUUID()}`;

const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  call(h.gateway.url, path, {
    key: h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

const records = async (): Promise<Json[]> =>
  (await api(`/v1/records?connection_id=${connectionId}&model=work_item&limit=100`)).body.data.records;

const eventually = async <T>(fn: () => Promise<T | undefined>, what: string): Promise<T> => {
  for (let i = 0; i < 100; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const post = (body: string, headers: Record<string, string>) =>
  fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
const sign = (body: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** A signed-off GitHub `issues` event body of the fake's account, `product` repository. */
const issueEvent = (id: number, title: string, updated: string) =>
  JSON.stringify({
    action: 'edited',
    issue: {
      id,
      number: id % 100_000,
      title,
      body: null,
      state: 'open',
      html_url: `https://github.com/${fake.account.name}/product/issues/${id % 100_000}`,
      labels: [],
      assignees: [],
      user: { login: fake.account.name, id: Number(fake.account.id) },
      created_at: '2026-01-01T00:00:00Z',
      updated_at: updated,
    },
    repository: {
      id: 5,
      name: 'product',
      full_name: `${fake.account.name}/product`,
      owner: { id: Number(fake.account.id), login: fake.account.name },
    },
    sender: { id: Number(fake.account.id), login: fake.account.name },
  });

type Handled = { delivery_id: string; outcome: string; reason?: string; took_over?: boolean };
/** The processor's log lines for one delivery id, oldest first. */
const handledLines = (spy: { mock: { calls: unknown[][] } }, deliveryId: string): Handled[] =>
  spy.mock.calls
    .filter(([m, a]) => m === 'webhook event handled' && (a as Handled).delivery_id === deliveryId)
    .map(([, a]) => a as Handled);
const outcomeOf = async (spy: { mock: { calls: unknown[][] } }, deliveryId: string) =>
  handledLines(spy, deliveryId)[0];

let integrationId: string;
/** The processor's claim of a delivery id (the dedupe table, core/store/README.md). */
const claimKey = (deliveryId: string) => ({ pk: `WH#${h.tenantId}#${integrationId}#${deliveryId}` });
const claim = async (deliveryId: string) =>
  (await dynamo().send(new GetCommand({ TableName: tableName('dedupe'), Key: claimKey(deliveryId) }))).Item;

beforeAll(async () => {
  h = await startHarness();
  fake = await startGitHubFake();
  fake.seedIssues(REPO_ISSUES, { repo: `${fake.account.name}/product` });
  const i = await api('/v1/integrations', {
    method: 'POST',
    body: {
      unique_key: 'gh-hooks',
      provider: 'github',
      webhook_secret: SECRET,
      endpoints: { api_base_url: fake.apiBaseUrl },
    },
  });
  expect(i.status, JSON.stringify(i.body)).toBe(201);
  // The integration's webhook_url is on this gateway (the local function URL).
  webhookUrl = `${h.gateway.url}/webhooks/${h.tenantId}/gh-hooks`;
  const c = await api('/v1/connections', {
    method: 'POST',
    body: { integration: 'gh-hooks', end_user_id: 'u_hooks', credentials: fake.valid },
  });
  connectionId = c.body.data.id;
  integrationId = (await getIntegration(h.tenantId, 'gh-hooks'))?.integration_id as string;
  for (const s of ['issues', 'pull_requests', 'repositories']) {
    await api(`/v1/connections/${connectionId}/syncs/${s}`, { method: 'PATCH', body: { paused: true } });
  }
  poller = pollWorker(sqs, workerFor('webhook'));
});
afterAll(async () => {
  await poller.stop();
  sqs.destroy();
  await h.stop();
  await fake.stop();
});

describe('provider webhooks, end to end', () => {
  it('an issue changed at the fake shows up in /v1/records without a sync', async () => {
    fake.registerWebhook(webhookUrl, SECRET);
    const [id] = fake.issueIds(`${fake.account.name}/product`);
    fake.updateIssue(id as number, { title: 'Changed at GitHub' });
    const rec = await eventually(async () => {
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      return (await records()).find((r) => r.title === 'Changed at GitHub');
    }, 'the webhook to reach the records');
    expect(rec.status).toBe('open');
    expect(rec._meta.last_action).toBe('added');
    const delivery = fake.deliveries().at(-1);
    expect(delivery?.status).toBe(200);
  });

  it('a redelivery is accepted (200, as any event) and dropped by the processor, applied once', async () => {
    const handled = vi.spyOn(logger, 'info');
    try {
      const first = fake.deliveries().at(-1);
      const again = await fake.redeliver(fake.deliveries().length - 1);
      expect(again.status).toBe(200);
      // The receiver no longer dedupes: no `duplicate` flag in its answer.
      expect(JSON.parse(again.response ?? '')).toEqual({ status: 'success', data: { received: true } });
      const deliveryId = first?.headers['x-github-delivery'];
      expect(deliveryId).toBeDefined();
      const dropped = await eventually(async () => outcomeOf(handled, deliveryId as string), 'the duplicate');
      expect(dropped).toMatchObject({ outcome: 'duplicate', reason: 'applied already' });
      expect(await claim(deliveryId as string)).toMatchObject({ state: 'done', duplicates: 1 });
    } finally {
      handled.mockRestore();
    }
  });

  it.each([
    ['missing', undefined],
    ['short', 'sha256=abc'],
    ['tampered', 'tamper'],
    ['signed with another secret', 'other'],
  ])('a %s signature is 401, never 5xx', async (_, kind) => {
    const body = JSON.stringify({ action: 'opened', issue: { id: 1 }, repository: { owner: { id: 1 } } });
    const sig =
      kind === undefined
        ? undefined
        : kind === 'tamper'
          ? sign(`${body} `)
          : kind === 'other'
            ? sign(body, 'x')
            : kind;
    const res = await post(body, {
      'x-github-event': 'issues',
      'x-github-delivery': randomUUID(),
      ...(sig ? { 'x-hub-signature-256': sig } : {}),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as Json).error.code).toBe('unauthorized');
  });

  it('an older event arriving after a newer one does not undo it', async () => {
    const issue = (title: string, updated: string) => issueEvent(880001, title, updated);
    const send = async (body: string) => {
      const res = await post(body, {
        'x-github-event': 'issues',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': sign(body),
      });
      expect(res.status).toBe(200);
    };
    await send(issue('Newer title', '2026-03-02T00:00:00Z'));
    await eventually(async () => {
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      return (await records()).find((r) => r.title === 'Newer title');
    }, 'the newer event');
    await send(issue('Older title', '2026-03-01T00:00:00Z'));
    // Give the older one time to be processed, then check it changed nothing.
    await new Promise((r) => setTimeout(r, 1500 + SETTLE_MS));
    const rec = (await records()).find((r) => r.id.includes('880001'));
    expect(rec?.title).toBe('Newer title');
  });

  it('an event for an account no connection has is kept and visible', async () => {
    const body = JSON.stringify({
      action: 'opened',
      issue: {
        id: 77,
        number: 1,
        title: 'Nobody',
        state: 'open',
        labels: [],
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
        html_url: 'https://github.com/x/y/issues/1',
      },
      repository: { id: 9, full_name: 'stranger/repo', owner: { id: 424242, login: 'stranger' } },
      sender: { id: 424242, login: 'stranger' },
    });
    const delivery = randomUUID();
    const res = await post(body, {
      'x-github-event': 'issues',
      'x-github-delivery': delivery,
      'x-hub-signature-256': sign(body),
    });
    expect(res.status).toBe(200);
    const kept = await eventually(async () => {
      const r = await api('/v1/integrations/gh-hooks/webhook-events?status=unrouted');
      return (r.body.data.webhook_events as Json[]).find((e) => e.delivery_id === delivery);
    }, 'the unrouted event');
    expect(kept).toMatchObject({ event_type: 'issues', status: 'unrouted' });
  });

  it('an unknown integration is 404 and an integration without a webhook secret is 401', async () => {
    expectError(
      await call(h.gateway.url, `/webhooks/${h.tenantId}/nope`, { method: 'POST', body: '{}' }),
      404,
      'not_found',
    );
    await api('/v1/integrations', {
      method: 'POST',
      body: { unique_key: 'gh-nosecret', provider: 'github', endpoints: { api_base_url: fake.apiBaseUrl } },
    });
    expectError(
      await call(h.gateway.url, `/webhooks/${h.tenantId}/gh-nosecret`, { method: 'POST', body: '{}' }),
      401,
      'unauthorized',
    );
  });
});

describe('the processor applies each delivery id once', () => {
  const message = (deliveryId: string, issueId: number, title: string): QueuedWebhookEvent => ({
    tenant_id: h.tenantId,
    integration_key: 'gh-hooks',
    integration_id: integrationId,
    delivery_id: deliveryId,
    event_type: 'issues',
    received_at: new Date().toISOString(),
    body: issueEvent(issueId, title, '2026-04-01T00:00:00Z'),
  });
  const sqsRecord = (msg: QueuedWebhookEvent): SQSRecord => {
    const id = randomUUID();
    return {
      messageId: id,
      receiptHandle: `rh-${id}`,
      body: JSON.stringify(msg),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(Date.now()),
        SenderId: 'test',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:integrations-WebhookQueue',
      awsRegion: 'us-east-1',
    };
  };
  const recordTitled = (title: string) =>
    eventually(async () => {
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      return (await records()).find((r) => r.title === title);
    }, `a record titled ${title}`);
  /** The claim a processor invocation left when it died between claim and apply, `ageMs` ago. */
  const claimedBy = (deliveryId: string, ageMs: number) =>
    dynamo().send(
      new UpdateCommand({
        TableName: tableName('dedupe'),
        Key: claimKey(deliveryId),
        UpdateExpression: 'SET #s = :claimed, claim_token = :t, claimed_at = :at, expires_at = :exp',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: {
          ':claimed': 'claimed',
          ':t': randomUUID(),
          ':at': Date.now() - ageMs,
          ':exp': Math.floor(Date.now() / 1000) + 3600,
        },
      }),
    );
  const ctx = lambdaContext('webhook-processor', 60_000);

  it('two copies of one delivery in the same SQS batch: applied once, the other dropped and counted', async () => {
    const spy = vi.spyOn(logger, 'info');
    try {
      const msg = message(randomUUID(), 770001, 'Twice in one batch');
      const r = await processor({ Records: [sqsRecord(msg), sqsRecord(msg)] }, ctx);
      expect(r.batchItemFailures).toEqual([]);
      expect(
        handledLines(spy, msg.delivery_id)
          .map((l) => l.outcome)
          .sort(),
      ).toEqual(['applied', 'duplicate']);
      expect(await claim(msg.delivery_id)).toMatchObject({ state: 'done', duplicates: 1 });
      await recordTitled('Twice in one batch');
    } finally {
      spy.mockRestore();
    }
  });

  it("ten new issues in one SQS batch: the sync's records_count grows by ten in one write", async () => {
    const syncKey = { pk: `TENANT#${h.tenantId}`, sk: `SYNC#${connectionId}#issues` };
    const countOf = async () =>
      (await dynamo().send(new GetCommand({ TableName: tableName('state'), Key: syncKey }))).Item
        ?.records_count as number;
    const writes: string[] = [];
    const watch = ((next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) =>
      async (args: { input: { Key?: unknown; UpdateExpression?: string } }) => {
        if (
          /^Update(Item)?Command$/.test(context.commandName ?? '') &&
          JSON.stringify(args.input.Key ?? '').includes(`SYNC#${connectionId}#issues`)
        )
          writes.push(args.input.UpdateExpression ?? '');
        return next(args);
      }) as never;
    dynamo().middlewareStack.add(watch, { step: 'initialize', name: 'watchSyncWrites' });
    try {
      const before = await countOf();
      const msgs = Array.from({ length: 10 }, (_, i) =>
        message(randomUUID(), 771000 + i, `Batch issue ${i}`),
      );
      const r = await processor({ Records: msgs.map(sqsRecord) }, ctx);
      expect(r.batchItemFailures).toEqual([]);
      expect(await countOf()).toBe(before + 10);
      expect(writes).toHaveLength(1);
    } finally {
      dynamo().middlewareStack.remove('watchSyncWrites');
    }
  });

  it('a crash after the claim, before apply: the stale claim is taken over and the event applied', async () => {
    const spy = vi.spyOn(logger, 'info');
    try {
      const msg = message(randomUUID(), 770002, 'Applied after a crash');
      // The dead invocation claimed it longer ago than the processor's timeout.
      await claimedBy(msg.delivery_id, CLAIM_STALE_MS + 1_000);
      const r = await processor({ Records: [sqsRecord(msg)] }, ctx);
      expect(r.batchItemFailures).toEqual([]);
      expect(handledLines(spy, msg.delivery_id)).toMatchObject([{ outcome: 'applied', took_over: true }]);
      expect(await claim(msg.delivery_id)).toMatchObject({ state: 'done' });
      await recordTitled('Applied after a crash');
    } finally {
      spy.mockRestore();
    }
  });

  it('a copy arriving while a live invocation holds the claim is dropped; the holder’s retry applies it', async () => {
    const spy = vi.spyOn(logger, 'info');
    try {
      const msg = message(randomUUID(), 770003, 'Held by another');
      await claimedBy(msg.delivery_id, 1_000);
      await processor({ Records: [sqsRecord(msg)] }, ctx);
      expect(handledLines(spy, msg.delivery_id)).toMatchObject([
        { outcome: 'duplicate', reason: 'being applied' },
      ]);
      expect((await records()).find((r) => r.title === 'Held by another')).toBeUndefined();
      // The holder died: its own message comes back after the visibility timeout, by when
      // its claim is stale, and applies the event.
      await claimedBy(msg.delivery_id, CLAIM_STALE_MS + 1_000);
      await processor({ Records: [sqsRecord(msg)] }, ctx);
      expect(handledLines(spy, msg.delivery_id).map((l) => l.outcome)).toEqual(['duplicate', 'applied']);
      await recordTitled('Held by another');
    } finally {
      spy.mockRestore();
    }
  });
});

describe('bodies that are not UTF-8: verified over their bytes, carried losslessly', () => {
  /** `json` with `~~` replaced by one byte that is invalid in UTF-8 on its own (Latin-1 é). */
  const withByte = (json: string, byte = 0xe9) => {
    const [a, b] = json.split('~~') as [string, string];
    const body = Buffer.concat([Buffer.from(a), Buffer.from([byte]), Buffer.from(b)]);
    expect(isUtf8(body)).toBe(false);
    return body;
  };
  const postBytes = (body: Buffer, signedOver: Buffer = body) =>
    fetch(webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'issues',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(signedOver).digest('hex')}`,
      },
      body,
    });

  it('a GitHub delivery with bytes invalid in UTF-8, signed over those bytes, is accepted and applied', async () => {
    const res = await postBytes(withByte(issueEvent(660001, 'Caf~~ au lait', '2026-05-01T00:00:00Z')));
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toEqual({ status: 'success', data: { received: true } });
    // Applied: the payload is read as text once verified (the lone byte becomes U+FFFD).
    await eventually(async () => {
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      return (await records()).find((r) => r.title === 'Caf\uFFFD au lait');
    }, 'the record');
  });

  it('the same delivery with one byte changed is 401', async () => {
    const json = issueEvent(660002, 'Caf~~ au lait', '2026-05-01T00:00:00Z');
    // Both bytes read as the same U+FFFD: only the bytes tell them apart.
    const res = await postBytes(withByte(json, 0xe8), withByte(json, 0xe9));
    expect(res.status).toBe(401);
    expect(((await res.json()) as Json).error).toMatchObject({
      code: 'unauthorized',
      details: { reason: 'signature mismatch' },
    });
  });

  it('a function URL event with a base64 body (isBase64Encoded) is verified over the decoded bytes', async () => {
    const body = withByte(issueEvent(660003, 'Binary ~~ body', '2026-05-01T00:00:00Z'));
    const sig = (b: Buffer) => `sha256=${createHmac('sha256', SECRET).update(b).digest('hex')}`;
    const event = (signature: string) => ({
      version: '2.0',
      routeKey: '$default',
      rawPath: `/webhooks/${h.tenantId}/gh-hooks`,
      rawQueryString: '',
      headers: {
        'content-type': 'application/octet-stream',
        'x-github-event': 'issues',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': signature,
      },
      requestContext: { http: { method: 'POST' } },
      body: body.toString('base64'),
      isBase64Encoded: true,
    });
    const ctx = lambdaContext('webhook-receiver');
    expect((await receiver(event(sig(body)) as never, ctx)).statusCode).toBe(200);
    // Signed over the bytes' UTF-8 reading instead: not what was sent.
    const lossy = Buffer.from(body.toString('utf8'));
    expect((await receiver(event(sig(lossy)) as never, ctx)).statusCode).toBe(401);
  });

  it('the queue carries the body losslessly: an unrouted one is kept byte for byte', async () => {
    const json = JSON.stringify({
      action: 'opened',
      issue: {
        id: 78,
        number: 2,
        title: 'Fa~~on',
        state: 'open',
        labels: [],
        html_url: 'https://github.com/x/y/issues/2',
      },
      repository: { id: 9, full_name: 'stranger/repo', owner: { id: 424243, login: 'stranger2' } },
      sender: { id: 424243, login: 'stranger2' },
    });
    const body = withByte(json);
    const res = await postBytes(body);
    expect(res.status).toBe(200);
    const kept = await eventually(async () => {
      const r = await api('/v1/integrations/gh-hooks/webhook-events?status=unrouted');
      return (r.body.data.webhook_events as Json[]).find((e) => e.body_encoding === 'base64');
    }, 'the unrouted event');
    expect(kept.body_bytes).toBe(body.length);
    expect(Buffer.from(kept.body as string, 'base64').equals(body)).toBe(true);
  });
});

describe('typed routing keys: like matches like only', () => {
  it('a GitHub event for installation 42 does not reach a connection whose account id is 42 but whose installation is 7', async () => {
    const key = 'gh-apps';
    const i = await api('/v1/integrations', {
      method: 'POST',
      body: {
        unique_key: key,
        provider: 'github',
        webhook_secret: SECRET,
        endpoints: { api_base_url: fake.apiBaseUrl },
      },
    });
    expect(i.status, JSON.stringify(i.body)).toBe(201);
    // Two app installations as connect time stores them: the account that installed the
    // app (provider_account) and the installation (provider_metadata.installation_id).
    const installed = async (accountId: string, installationId: string) => {
      const now = new Date().toISOString();
      const id = `conn_${randomUUID().replace(/-/g, '').slice(0, 26)}`;
      await insertConnection({
        tenant_id: h.tenantId,
        connection_id: id,
        integration: key,
        provider: 'github',
        name: `org ${accountId}`,
        status: 'active',
        sync_status: 'healthy',
        end_user_id: `u_${accountId}`,
        provider_account: { id: accountId, name: `org-${accountId}` },
        credentials_meta: { type: 'app_install' },
        // Sealed for real: other files of the run (data-key rotation) read every connection.
        sealed: await encryptFor(h.tenantId, id, { type: 'app_install', installation_id: installationId }),
        metadata: {},
        config: {},
        provider_metadata: { installation_id: installationId, target_type: 'Organization' },
        // Its route items, as connect time writes them (core/webhooks/routing-keys.ts).
        routing_keys: keysOf(githubKeys, {
          provider_account: { id: accountId, name: `org-${accountId}` },
          provider_metadata: { installation_id: installationId, target_type: 'Organization' },
        }),
        created_at: now,
        updated_at: now,
      });
      return id;
    };
    const account42 = await installed('42', '7');
    const installation42 = await installed('31337', '42');
    const body = JSON.stringify({
      ...JSON.parse(issueEvent(550001, 'For installation 42', '2026-05-01T00:00:00Z')),
      installation: { id: 42 },
      repository: {
        id: 77,
        name: 'repo',
        full_name: 'org-31337/repo',
        owner: { id: 31337, login: 'org-31337' },
      },
    });
    const res = await fetch(`${h.gateway.url}/webhooks/${h.tenantId}/${key}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'issues',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': sign(body),
      },
      body,
    });
    expect(res.status).toBe(200);
    const recordsOf = async (id: string) =>
      (await api(`/v1/records?connection_id=${id}&model=work_item&limit=10`)).body.data.records as Json[];
    // The installation's connection gets it…
    await eventually(async () => {
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      return (await recordsOf(installation42)).find((r) => r.title === 'For installation 42');
    }, 'the record of installation 42');
    // …and the connection whose account id merely equals the installation id does not.
    expect(await recordsOf(account42)).toEqual([]);
  });
});
