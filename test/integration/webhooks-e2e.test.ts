import { createHmac, randomUUID } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTLE_MS } from '../../core/store/records-repo';
import { workerFor } from '../../functions/workers';
import { pollWorker } from '../../local/runtime';
import { type GitHubFake, startGitHubFake } from '../fakes/github';
import { call, expectError, type Harness, type Json, startHarness } from './harness';

/**
 * Issue 7 as a user tries it, with GitHub: register the integration's webhook_url at the
 * fake, change an issue there, and the record changes in /v1/records without a sync.
 * Every signature failure class answers 401; a redelivery is acknowledged and dropped;
 * an event no connection matches is kept and visible.
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

  it('a redelivery is acknowledged and dropped', async () => {
    const before = fake.deliveries().length;
    const again = await fake.redeliver(before - 1);
    expect(again.status).toBe(200);
    expect(again.response).toContain('"duplicate":true');
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
    const issue = (title: string, updated: string) =>
      JSON.stringify({
        action: 'edited',
        issue: {
          id: 880001,
          number: 901,
          title,
          body: null,
          state: 'open',
          html_url: `https://github.com/${fake.account.name}/product/issues/901`,
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
