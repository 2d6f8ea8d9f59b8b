import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyStripeStyle } from '../../adapters/webhook-signatures';
import { attemptDelivery, BACKOFF_SECONDS, type DeliveryOutcome } from '../../core/outbound/deliver';
import type { OutboundMessage } from '../../core/outbound/events';
import { queues } from '../../core/platform/resources';
import { SETTLE_MS } from '../../core/store/records-repo';
import { logger } from '../../functions/middleware/logger';
import { workerFor } from '../../functions/workers';
import { pollWorker } from '../../local/runtime';
import { startAzureDevOpsFake } from '../fakes/azure-devops';
import { startFigmaFake } from '../fakes/figma';
import { startGitHubFake } from '../fakes/github';
import { startJiraFake } from '../fakes/jira';
import { startLinearFake } from '../fakes/linear';
import { startNotionFake } from '../fakes/notion';
import { startSlackFake } from '../fakes/slack';
import { startStripeFake } from '../fakes/stripe';
import { sensitive } from '../leak-watch';
import { call, type Harness, type Json, startHarness } from './harness';
import { startSubscriber } from './webhook-subscriber';

/**
 * Provider webhooks (issue 7 "done when") as a user tries them, for GitHub, Slack, Linear,
 * Jira, Figma, Stripe, Azure Boards and Azure DevOps: an integration with a webhook secret and a connection, its syncs paused so only
 * webhooks write; the integration's webhook URL registered at the provider's fake with that
 * secret; a change made there shows up in /v1/records within seconds, and a subscriber hears
 * `records.changed` for that connection, signed. Then a subscriber that fails three times
 * gets such an event once, after four attempts on the backoff schedule — driven by calling the
 * delivery step at each due time (the real schedule would take 160 s).
 *
 * Notion apart (its own describe): its subscription starts with an unsigned verification
 * token the operator reads from the webhook events log, and its events carry ids only, so
 * a change reaches the feed through an incremental run of the sync the event triggers.
 */

/** One provider's fake, and how the user wires it up and changes something there. */
type Provider = {
  /** POST /v1/integrations body beside `unique_key` and `webhook_secret`. */
  integration: Record<string, unknown>;
  /** POST /v1/connections fields beside `integration` and `end_user_id`. */
  connection: { credentials: Record<string, unknown>; config?: Record<string, unknown> };
  model: string;
  /** Registers the webhook URL at the fake, signed with `secret`. */
  register(url: string, secret: string): void;
  /** Changes one thing at the fake: the record that must show it, and what it must show. */
  change(value: string): { recordId: string; shows: Record<string, unknown> };
  /** What the fake POSTed so far, with the receiver's answers. */
  deliveries(): { status: number | undefined; response?: string | undefined }[];
  /** Sends delivery `index` again, as the provider redelivers it. */
  redeliver(index: number): Promise<{ status: number | undefined; response?: string | undefined }>;
  settled(): Promise<void>;
  stop(): Promise<void>;
};

const PROVIDERS: Record<string, () => Promise<Provider>> = {
  github: async () => {
    const gh = await startGitHubFake();
    const repo = `${gh.account.name}/product`;
    const [issue] = gh.seedIssues(3, { repo });
    return {
      integration: { provider: 'github', endpoints: { api_base_url: gh.apiBaseUrl } },
      connection: { credentials: gh.valid as Record<string, unknown> },
      model: 'work_item',
      register: (url, secret) => {
        gh.registerWebhook(url, secret);
      },
      change: (title) => {
        gh.updateIssue(issue as number, { title });
        return { recordId: `gh_issue_${issue}`, shows: { title } };
      },
      deliveries: () => gh.deliveries(),
      redeliver: (i) => gh.redeliver(i),
      settled: () => gh.webhooksSettled(),
      stop: () => gh.stop(),
    };
  },
  slack: async () => {
    const slack = await startSlackFake();
    const [member] = slack.seedUsers(3);
    return {
      integration: { provider: 'slack', endpoints: { api_base_url: slack.apiBaseUrl } },
      connection: { credentials: slack.user as Record<string, unknown> },
      model: 'user',
      register: (url, secret) => {
        slack.registerWebhook(url, secret);
      },
      // user_change carries the whole user: the users record is upserted from it.
      change: (displayName) => {
        slack.workspace.updateUser(member as string, { displayName });
        return { recordId: `slack_user_${member}`, shows: { display_name: displayName } };
      },
      deliveries: () => slack.deliveries(),
      redeliver: (i) => slack.redeliver(i),
      settled: () => slack.webhooksSettled(),
      stop: () => slack.stop(),
    };
  },
  linear: async () => {
    const linear = await startLinearFake();
    const [issue] = linear.seedIssues(3);
    return {
      integration: { provider: 'linear', endpoints: { api_base_url: linear.apiBaseUrl } },
      connection: { credentials: linear.valid as Record<string, unknown>, config: { teams: ['ENG'] } },
      model: 'work_item',
      register: (url, secret) => {
        linear.registerWebhook(url, secret);
      },
      change: (title) => {
        linear.updateIssue(issue as string, { title });
        return { recordId: `linear_issue_${issue}`, shows: { title } };
      },
      deliveries: () => linear.deliveries(),
      redeliver: (i) => linear.redeliver(i),
      settled: () => linear.webhooksSettled(),
      stop: () => linear.stop(),
    };
  },
  jira: async () => {
    const jira = await startJiraFake();
    const [issue] = jira.seedIssues(3);
    return {
      integration: { provider: 'jira', endpoints: { api_base_url: jira.apiBaseUrl } },
      connection: { credentials: jira.valid as Record<string, unknown>, config: { site: jira.site } },
      model: 'work_item',
      // An admin webhook with a secret (X-Hub-Signature).
      register: (url, secret) => {
        jira.registerWebhook(url, secret);
      },
      change: (summary) => {
        jira.updateIssue(issue as string, { summary });
        return { recordId: `jira_issue_${issue}`, shows: { title: summary } };
      },
      deliveries: () => jira.deliveries(),
      redeliver: (i) => jira.redeliver(i),
      settled: () => jira.webhooksSettled(),
      stop: () => jira.stop(),
    };
  },
  figma: async () => {
    const figma = await startFigmaFake();
    const team = figma.addTeam('Design');
    const file = figma.addFile(figma.addProject(team, 'Website'), 'Home page');
    return {
      integration: { provider: 'figma', endpoints: { api_base_url: figma.apiBaseUrl } },
      connection: { credentials: figma.valid as Record<string, unknown>, config: { team_ids: [team] } },
      model: 'message',
      // Figma signs nothing: the team's webhook carries `<team_id>:<secret>` as its passcode.
      register: (url, secret) => {
        figma.registerWebhook({ url, teamId: team, passcode: `${team}:${secret}` });
      },
      // FILE_COMMENT carries the whole comment: the comments record is written from it.
      change: (text) => {
        const id = figma.addComment(file, text);
        return { recordId: `figma_comment_${id}`, shows: { text, channel: file } };
      },
      deliveries: () => figma.deliveries(),
      redeliver: (i) => figma.redeliver(i),
      settled: () => figma.webhooksSettled(),
      stop: () => figma.stop(),
    };
  },
  azure_boards: async () => {
    const az = await startAzureDevOpsFake();
    az.addProject('Fabrikam');
    const [item] = az.seedWorkItems('Fabrikam', 3);
    return {
      integration: { provider: 'azure_boards', endpoints: { api_base_url: az.apiBaseUrl } },
      connection: { credentials: az.valid as Record<string, unknown>, config: { organization: 'acme' } },
      model: 'work_item',
      // A Web Hooks service hook with basic authentication, the secret as its password.
      register: (url, secret) => {
        az.registerWebhook(url, { username: 'azure', password: secret });
      },
      // workitem.updated carries the work item after the change (resource.revision).
      change: (title) => {
        az.updateWorkItem(item as number, { title });
        return { recordId: `azb_wi_${item}`, shows: { title } };
      },
      deliveries: () => az.deliveries(),
      redeliver: (i) => az.redeliver(i),
      settled: () => az.webhooksSettled(),
      stop: () => az.stop(),
    };
  },
  azure_devops: async () => {
    const az = await startAzureDevOpsFake();
    az.addProject('Fabrikam');
    const repo = az.addRepo('Fabrikam', 'api');
    const [pr] = az.seedPullRequests('Fabrikam', 'api', 2);
    return {
      integration: { provider: 'azure_devops', endpoints: { api_base_url: az.apiBaseUrl } },
      connection: { credentials: az.valid as Record<string, unknown>, config: { organization: 'acme' } },
      model: 'pull_request',
      // A Web Hooks service hook with the secret in an extra HTTP header.
      register: (url, secret) => {
        az.registerWebhook(url, { headers: { 'X-Webhook-Secret': secret } });
      },
      change: (title) => {
        az.updatePullRequest(pr as number, { title });
        return { recordId: `azdo_pr_${repo.id}_${pr}`, shows: { title } };
      },
      deliveries: () => az.deliveries(),
      redeliver: (i) => az.redeliver(i),
      settled: () => az.webhooksSettled(),
      stop: () => az.stop(),
    };
  },
  stripe: async () => {
    const stripe = await startStripeFake();
    const [customer] = stripe.seedCustomers(3);
    return {
      integration: { provider: 'stripe', endpoints: { api_base_url: stripe.apiBaseUrl } },
      connection: { credentials: stripe.valid as Record<string, unknown> },
      model: 'customer',
      // The account's own endpoint (its events name no account): they reach the connection
      // made with the account's key.
      register: (url, secret) => {
        stripe.registerWebhook(url, secret);
      },
      // customer.updated carries the whole customer: the customers record is upserted from it.
      change: (name) => {
        stripe.updateCustomer(customer as string, { name });
        return { recordId: customer as string, shows: { name } };
      },
      deliveries: () => stripe.deliveries(),
      redeliver: (i) => stripe.redeliver(i),
      settled: () => stripe.webhooksSettled(),
      stop: () => stripe.stop(),
    };
  },
};

let h: Harness;
let subscriber: Awaited<ReturnType<typeof startSubscriber>>;
let hook: { id: string; secret: string };
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
const pollers: { stop: () => Promise<void> }[] = [];
const started = new Map<string, Promise<{ fake: Provider; connectionId: string }>>();
/** The webhook processor's log lines (it runs in this process, behind the local poller). */
const handled = vi.spyOn(logger, 'info');
type Handled = { integration: string; delivery_id: string; outcome: string };
const handledLines = () =>
  handled.mock.calls.filter(([m]) => m === 'webhook event handled').map(([, a]) => a as Handled);

const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  call(h.gateway.url, path, {
    key: h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

/**
 * Subscribes `url` to records.changed. The one answer that carries the secret is read here,
 * not through `call` (which records every answer for the run's leak check).
 */
const subscribe = async (url: string) => {
  const res = await fetch(`${h.gateway.url}/v1/webhook-subscriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.key}` },
    body: JSON.stringify({ url, events: ['records.changed'] }),
  });
  const body = (await res.json()) as Json;
  expect(res.status, JSON.stringify(body)).toBe(201);
  return { id: body.data.id as string, secret: sensitive(body.data.secret as string) };
};

const until = async <T>(
  what: string,
  find: () => Promise<T | undefined> | T | undefined,
  ms = 20_000,
): Promise<T> => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const found = await find();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
};

/**
 * The provider's integration (with a webhook secret) and connection, its syncs paused, and
 * the integration's webhook URL registered at the fake: once per provider.
 */
const connect = (provider: string) => {
  let s = started.get(provider);
  if (!s) {
    s = (async () => {
      const fake = await (PROVIDERS[provider] as () => Promise<Provider>)();
      const key = `${provider}-hooks`;
      const secret = sensitive(`whsec-${provider}-${randomUUID()}`);
      const i = await api('/v1/integrations', {
        method: 'POST',
        body: { unique_key: key, webhook_secret: secret, ...fake.integration },
      });
      expect(i.status, JSON.stringify(i.body)).toBe(201);
      const c = await api('/v1/connections', {
        method: 'POST',
        body: { integration: key, end_user_id: `u_${provider}`, ...fake.connection },
      });
      expect(c.status, JSON.stringify(c.body)).toBe(201);
      const connectionId = c.body.data.id as string;
      const syncs = await api(`/v1/connections/${connectionId}/syncs`);
      for (const { name } of syncs.body.data.syncs as { name: string }[]) {
        const p = await api(`/v1/connections/${connectionId}/syncs/${name}`, {
          method: 'PATCH',
          body: { paused: true },
        });
        expect(p.body.data.status).toBe('paused');
      }
      // The integration's webhook_url: the local function URL on this gateway.
      fake.register(`${h.gateway.url}/webhooks/${h.tenantId}/${key}`, secret);
      return { fake, connectionId };
    })();
    started.set(provider, s);
  }
  return s;
};

/** The connection's record `id` in the feed, once it shows `shows`. */
const recordShowing = (connectionId: string, model: string, id: string, shows: Record<string, unknown>) =>
  until(`${id} to show ${JSON.stringify(shows)}`, async () => {
    const r = await api(`/v1/records?connection_id=${connectionId}&model=${model}&limit=100`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const rec = (r.body.data.records as Json[]).find((x) => x.id === id);
    return rec && Object.entries(shows).every(([k, v]) => rec[k] === v) ? (rec as Json) : undefined;
  });

beforeAll(async () => {
  h = await startHarness();
  subscriber = await startSubscriber();
  hook = await subscribe(`${subscriber.url}/hook`);
  for (const queue of ['webhook', 'outbound'] as const) pollers.push(pollWorker(sqs, workerFor(queue)));
});
afterAll(async () => {
  handled.mockRestore();
  await Promise.all(pollers.map((p) => p.stop()));
  for (const s of started.values()) await (await s).fake.stop();
  sqs.destroy();
  await h?.stop();
  await subscriber?.stop();
});

describe('provider webhooks, end to end', () => {
  it.each(Object.keys(PROVIDERS))(
    '%s: a change at the provider reaches /v1/records and a subscriber',
    {
      timeout: 45_000,
    },
    async (provider) => {
      const { fake, connectionId } = await connect(provider);
      handled.mockClear();
      const { recordId, shows } = fake.change(`Changed at ${provider} ${randomUUID().slice(0, 8)}`);
      await fake.settled();
      // The receiver verified the delivery and queued it.
      const delivered = fake.deliveries().at(-1);
      expect(delivered?.status, delivered?.response).toBe(200);

      // (a) The feed shows it within a few seconds (readers stay SETTLE_MS short of now).
      const t0 = Date.now();
      const rec = await recordShowing(connectionId, fake.model, recordId, shows);
      expect(Date.now() - t0).toBeLessThan(SETTLE_MS + 10_000);
      expect(rec._meta).toMatchObject({
        last_action: expect.stringMatching(/^(added|updated)$/),
        deleted_at: null,
      });

      // (b) The subscriber hears records.changed for that connection, signed with its secret.
      const heard = await until('records.changed', () =>
        subscriber
          .events('/hook')
          .find((r) => r.event.type === 'records.changed' && r.event.data.connection_id === connectionId),
      );
      expect(() =>
        verifyStripeStyle(heard.headers['x-signature'] as string, hook.secret, heard.body, Date.now()),
      ).not.toThrow();
      expect(heard.headers['x-webhook-event']).toBe('records.changed');
      expect(heard.event.data).toMatchObject({
        connection_id: connectionId,
        model: fake.model,
        run_id: null,
        source: 'webhook',
        feed: `GET /v1/records?connection_id=${connectionId}&model=${fake.model}`,
      });
      const { added, updated, deleted } = heard.event.data.records;
      expect([added + updated, deleted]).toEqual([1, 0]);

      // (c) A redelivery is accepted like any event (no `duplicate` flag: the receiver no
      // longer dedupes) and dropped by the processor: the delivery id is applied once.
      const again = await fake.redeliver(fake.deliveries().length - 1);
      expect(again.status, again.response).toBe(200);
      expect(JSON.parse(again.response ?? '')).toEqual({ status: 'success', data: { received: true } });
      const dropped = await until('the processor to drop the redelivery', () =>
        handledLines().find((l) => l.integration === `${provider}-hooks` && l.outcome === 'duplicate'),
      );
      expect(
        handledLines()
          .filter((l) => l.delivery_id === dropped.delivery_id)
          .map((l) => l.outcome),
      ).toEqual(['applied', 'duplicate']);
    },
  );
});

describe('Azure DevOps service hooks at the receiver', () => {
  it.each(['azure_boards', 'azure_devops'])(
    '%s: a delivery without the secret, or with a wrong one, is 401; nothing is queued',
    { timeout: 45_000 },
    async (provider) => {
      const { fake } = await connect(provider);
      const url = `${h.gateway.url}/webhooks/${h.tenantId}/${provider}-hooks`;
      const last = fake.deliveries().at(-1);
      const body =
        last && 'body' in last
          ? String(last.body)
          : JSON.stringify({ id: randomUUID(), eventType: 'workitem.updated' });
      const basic = (password: string) => `Basic ${Buffer.from(`azure:${password}`).toString('base64')}`;
      const attempts: Record<string, string>[] = [
        {},
        { authorization: basic('wrong-secret') },
        { 'x-webhook-secret': 'wrong-secret' },
        { authorization: 'Bearer wrong-secret' },
      ];
      handled.mockClear();
      for (const headers of attempts) {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body,
        });
        expect(res.status, JSON.stringify(headers)).toBe(401);
      }
      await new Promise((r) => setTimeout(r, 500));
      expect(handledLines().filter((l) => l.integration === `${provider}-hooks`)).toEqual([]);
    },
  );
});

describe('retries of a webhook-driven records.changed', () => {
  let capture: string | undefined;
  afterAll(async () => {
    if (capture) await sqs.send(new DeleteQueueCommand({ QueueUrl: capture }));
  });

  it('500, 500, 500, then 200: received once, 4 attempts listed', { timeout: 45_000 }, async () => {
    const { fake, connectionId } = await connect('github');
    const flaky = await subscribe(`${subscriber.url}/flaky`);
    subscriber.script('/flaky', [500, 500, 500, 200]);

    // The event's first delivery message, as the webhook processor queues it, is caught in a
    // queue of this test's own that no worker polls: each attempt is then made at its due time.
    capture = (
      await sqs.send(
        new CreateQueueCommand({ QueueName: `providers-e2e-capture-${randomUUID().slice(0, 8)}` }),
      )
    ).QueueUrl as string;
    const outbound = process.env[queues.outbound.env];
    process.env[queues.outbound.env] = capture;
    let msg: OutboundMessage;
    try {
      const { recordId, shows } = fake.change(`Flaky ${randomUUID().slice(0, 8)}`);
      await recordShowing(connectionId, fake.model, recordId, shows);
      msg = await until('the records.changed delivery message', async () => {
        const got = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: capture, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
        );
        const messages = got.Messages ?? [];
        if (messages.length) {
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: capture,
              Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
            }),
          );
        }
        return messages
          .map((m) => JSON.parse(m.Body as string) as OutboundMessage)
          .find((m) => m.subscription_id === flaky.id);
      });
    } finally {
      process.env[queues.outbound.env] = outbound;
    }
    expect(msg).toMatchObject({
      tenant_id: h.tenantId,
      attempt: 1,
      event: { type: 'records.changed', data: { connection_id: connectionId, source: 'webhook' } },
    });

    const outcomes: DeliveryOutcome[] = [];
    let next: OutboundMessage | undefined = msg;
    let now = Date.now();
    while (next && outcomes.length < 10) {
      const o = await attemptDelivery(next, now);
      outcomes.push(o);
      next = o.kind === 'retrying' ? o.next : undefined;
      if (o.kind === 'retrying') now = Date.parse(o.next.due_at as string);
    }
    expect(outcomes.map((o) => o.kind)).toEqual(['retrying', 'retrying', 'retrying', 'delivered']);
    const times = outcomes.map((o) => ('attempt' in o ? Date.parse(o.attempt.attempted_at) : 0));
    expect(times.slice(1).map((at, i) => (at - (times[i] as number)) / 1000)).toEqual([
      ...BACKOFF_SECONDS.slice(0, 3),
    ]);

    const got = subscriber.events('/flaky');
    expect(got.map((r) => r.answered)).toEqual([500, 500, 500, 200]);
    expect(got.map((r) => r.headers['x-webhook-attempt'])).toEqual(['1', '2', '3', '4']);
    expect(new Set(got.map((r) => r.event.id))).toEqual(new Set([msg.event.id]));
    const ok = got.filter((r) => r.answered === 200);
    expect(ok).toHaveLength(1);
    const [received] = ok;
    expect(() =>
      verifyStripeStyle(
        received?.headers['x-signature'] as string,
        flaky.secret,
        received?.body as string,
        times[3] as number,
      ),
    ).not.toThrow();
    expect(received?.event.data.connection_id).toBe(connectionId);

    const d = await api(`/v1/webhook-subscriptions/${flaky.id}/deliveries`);
    expect(d.status).toBe(200);
    expect((d.body.data.deliveries as Json[]).map((x) => [x.attempt, x.status, x.response_status])).toEqual([
      [4, 'delivered', 200],
      [3, 'retrying', 500],
      [2, 'retrying', 500],
      [1, 'retrying', 500],
    ]);
    for (const x of d.body.data.deliveries as Json[]) {
      expect(x).toMatchObject({ event_id: msg.event.id, event: 'records.changed' });
    }
  });
});

describe('notion webhooks, end to end', () => {
  const key = 'notion-hooks';
  let syncPoller: { stop: () => Promise<void> };
  let n: Awaited<ReturnType<typeof startNotionFake>>;
  let connectionId: string;
  let notes: string[];
  const url = () => `${h.gateway.url}/webhooks/${h.tenantId}/${key}`;
  /** A signed request as Notion sends it, straight at the receiver. */
  const post = (body: string, headers: Record<string, string>) =>
    fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  beforeAll(async () => {
    syncPoller = pollWorker(sqs, workerFor('sync'));
    n = await startNotionFake();
    notes = n.seedPages(6);
    // Notion's token comes only once the subscription exists: a placeholder secret until then.
    const i = await api('/v1/integrations', {
      method: 'POST',
      body: {
        unique_key: key,
        provider: 'notion',
        webhook_secret: 'pending-notion-verification',
        endpoints: { api_base_url: n.apiBaseUrl },
      },
    });
    expect(i.status, JSON.stringify(i.body)).toBe(201);
    const c = await api('/v1/connections', {
      method: 'POST',
      body: { integration: key, end_user_id: 'u_notion', credentials: n.valid },
    });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    connectionId = c.body.data.id;
    for (const name of ['pages', 'databases']) {
      await api(`/v1/connections/${connectionId}/syncs/${name}`, { method: 'PATCH', body: { paused: true } });
    }
    // A first full run: what a webhook triggers afterwards is incremental.
    const t = await api('/v1/syncs/trigger', {
      method: 'POST',
      body: { connection_id: connectionId, syncs: ['pages'], mode: 'full' },
    });
    expect(t.status, JSON.stringify(t.body)).toBe(202);
    await until('the first pages run', async () => {
      const r = await api(`/v1/sync-runs/${t.body.data.runs[0].id}`);
      return r.body.data.status === 'success' ? true : undefined;
    });
  }, 60_000);
  afterAll(async () => {
    await syncPoller?.stop();
    await n?.stop();
  });

  it('the verification token is listed for the operator; signed events then reach the feed', {
    timeout: 120_000,
  }, async () => {
    // (a) Notion sends its unsigned verification token: accepted, kept as an unrouted event.
    const token = await n.registerWebhook(url());
    expect(n.deliveries()[0]?.status, n.deliveries()[0]?.response).toBe(200);
    const kept = await until('the verification event in the log', async () => {
      const r = await api(`/v1/integrations/${key}/webhook-events?status=unrouted`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return (r.body.data.webhook_events as Json[]).find((e) => e.event_type === 'verification');
    });
    const shown = JSON.parse(kept.body).verification_token as string;
    expect(shown).toBe(token);

    // (b) The operator pastes it into Notion (which accepts only its own), then sets it here.
    n.verifyWebhook(shown);
    const p = await api(`/v1/integrations/${key}`, { method: 'PATCH', body: { webhook_secret: shown } });
    expect(p.status, JSON.stringify(p.body)).toBe(200);

    // The receiver caches an integration's secret for 30 seconds: once it reads the new one,
    // an unsigned request is refused (the subscription is verified), a forged token too.
    await until(
      'the receiver to read the new secret',
      async () => {
        const r = await post(JSON.stringify({ verification_token: 'secret_forged' }), {});
        await r.text();
        return r.status === 401 ? true : undefined;
      },
      60_000,
    );

    // (c) A change at Notion: an event with ids only, signed; a retry while the receiver
    // still read the old secret is Notion's retry, which passes once it reads the new one.
    const title = `Renamed ${randomUUID().slice(0, 8)}`;
    n.editPage(notes[2] as string, { title });
    await n.webhooksSettled();
    let last = n.deliveries().length - 1;
    while ((n.deliveries()[last]?.status ?? 0) !== 200) {
      await new Promise((r) => setTimeout(r, 1000));
      await n.redeliver(last);
      last = n.deliveries().length - 1;
    }
    const event = JSON.parse(n.deliveries()[last]?.body ?? '{}');
    expect(event).toMatchObject({ type: 'page.properties_updated', workspace_id: n.workspaceId });

    // The event triggered an incremental pages run, which read the page: the feed shows it.
    const rec = await recordShowing(connectionId, 'document', `notion_page_${notes[2]}`, { title });
    expect(rec._meta.last_action).toBe('updated');
    const runs = await api(`/v1/sync-runs?connection_id=${connectionId}&limit=10`);
    expect(runs.status, JSON.stringify(runs.body)).toBe(200);
    expect(
      (runs.body.data.sync_runs as Json[]).some(
        (r) => r.sync === 'pages' && r.trigger === 'webhook' && r.mode === 'incremental',
      ),
      JSON.stringify(runs.body.data),
    ).toBe(true);

    // (d) page.deleted names the page: its record is deleted at once, no run needed.
    n.trashPage(notes[3] as string);
    await n.webhooksSettled();
    expect(n.deliveries().at(-1)?.status).toBe(200);
    await until('the deleted page to leave the feed', async () => {
      const r = await api(`/v1/records?connection_id=${connectionId}&model=document&limit=100`);
      const found = (r.body.data.records as Json[]).find((x) => x.id === `notion_page_${notes[3]}`);
      return found === undefined || found._meta.deleted_at ? true : undefined;
    });

    // (e) Signatures: valid → 200, missing or tampered → 401.
    const raw = n.deliveries()[last]?.body ?? '';
    const sig = n.deliveries()[last]?.headers['x-notion-signature'] ?? '';
    const ok = await post(raw, { 'x-notion-signature': sig });
    expect(ok.status, await ok.text()).toBe(200);
    const missing = await post(raw, {});
    expect(missing.status, await missing.text()).toBe(401);
    const tampered = await post(raw.replace(n.workspaceId, randomUUID()), { 'x-notion-signature': sig });
    expect(tampered.status, await tampered.text()).toBe(401);
  });
});
