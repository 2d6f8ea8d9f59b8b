import { randomUUID } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../functions/middleware/logger';
import { workerFor } from '../../functions/workers';
import { pollWorker } from '../../local/runtime';
import { type GitHubFake, startGitHubFake } from '../fakes/github';
import { sensitive } from '../leak-watch';
import { call, type Harness, type Json, startHarness } from './harness';
import { startSubscriber } from './webhook-subscriber';

/**
 * GitHub's CI and push events as a user wires them (README "GitHub"): an integration with a
 * webhook secret, a connection whose `config.events` keeps `push` and `workflow_run.completed`
 * only, the hook registered on the user's repository at GitHub's fake (a user's token: events route by
 * the repository's owner). Each event GitHub sends is applied, and only
 * the kept ones reach a subscriber of `provider.event`, wrapped with their connection.
 */

let h: Harness;
let gh: GitHubFake;
let subscriber: Awaited<ReturnType<typeof startSubscriber>>;
let connectionId: string;
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
const pollers: { stop: () => Promise<void> }[] = [];
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

const until = async <T>(what: string, find: () => T | undefined): Promise<T> => {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const providerEvents = () =>
  subscriber
    .events('/events')
    .filter((r) => r.event.type === 'provider.event')
    .map((r) => r.event.data as Json);

/** The delivery ids GitHub sent for `event`, in order. */
const deliveryIds = (event: string) =>
  gh
    .deliveries()
    .filter((d) => d.event === event)
    .map((d) => d.headers['x-github-delivery'] as string);

beforeAll(async () => {
  h = await startHarness();
  gh = await startGitHubFake();
  gh.seedCommits(3, { repo: 'octo-acme/product' });
  subscriber = await startSubscriber();
  const sub = await fetch(`${h.gateway.url}/v1/webhook-subscriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.key}` },
    body: JSON.stringify({ url: `${subscriber.url}/events`, events: ['provider.event'] }),
  });
  expect(sub.status).toBe(201);
  sensitive(((await sub.json()) as Json).data.secret as string);
  for (const queue of ['webhook', 'outbound'] as const) pollers.push(pollWorker(sqs, workerFor(queue)));

  const secret = sensitive(`whsec-github-${randomUUID()}`);
  const i = await api('/v1/integrations', {
    method: 'POST',
    body: {
      unique_key: 'github-ci',
      provider: 'github',
      webhook_secret: secret,
      endpoints: { api_base_url: gh.apiBaseUrl },
    },
  });
  expect(i.status, JSON.stringify(i.body)).toBe(201);
  const c = await api('/v1/connections', {
    method: 'POST',
    body: {
      integration: 'github-ci',
      end_user_id: 'u_ci',
      credentials: gh.valid,
      config: { events: ['push', 'workflow_run.completed'] },
    },
  });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  connectionId = c.body.data.id as string;
  gh.registerWebhook(`${h.gateway.url}/webhooks/${h.tenantId}/github-ci`, secret, {
    events: ['push', 'deployment_status', 'workflow_run'],
  });
});
afterAll(async () => {
  handled.mockRestore();
  await Promise.all(pollers.map((p) => p.stop()));
  await gh?.stop();
  sqs.destroy();
  await h?.stop();
  await subscriber?.stop();
});

describe('github push, deployment_status and workflow_run, end to end', () => {
  it('config.events keeps push and workflow_run.completed: only those reach provider.event', {
    timeout: 60_000,
  }, async () => {
    // Left out by the connection's config: applied (handled), never forwarded.
    gh.sendDeploymentStatus('octo-acme/product', 'success');
    gh.sendWorkflowRun('octo-acme/product', 'requested');
    await gh.webhooksSettled();
    expect(gh.deliveries().map((d) => d.status)).toEqual([200, 200, 200]);
    const skipped = [...deliveryIds('deployment_status'), ...deliveryIds('workflow_run')];
    await until('the skipped events to be handled', () =>
      skipped.every((id) => handledLines().some((l) => l.delivery_id === id && l.outcome === 'applied'))
        ? true
        : undefined,
    );

    // Kept: a push to the default branch, a completed run.
    const shas = gh.seedCommits(2, { repo: 'octo-acme/product' });
    gh.sendWorkflowRun('octo-acme/product', 'completed', 'failure');
    await gh.webhooksSettled();
    const got = await until('push and workflow_run.completed', () => {
      const events = providerEvents();
      return events.length >= 2 ? events : undefined;
    });
    const push = got.find((e) => e.event_type === 'push');
    expect(push).toMatchObject({
      connection_id: connectionId,
      integration: 'github-ci',
      provider: 'github',
      event_type: 'push',
      delivery_id: deliveryIds('push')[0],
      payload_verified: true,
      payload: { ref: 'refs/heads/main', after: shas[1] },
    });
    expect(got.find((e) => e.event_type === 'workflow_run')).toMatchObject({
      connection_id: connectionId,
      delivery_id: deliveryIds('workflow_run')[1],
      payload: { action: 'completed', workflow_run: { conclusion: 'failure' } },
    });
    // The push ran the connection's commits sync (the records effect of a push).
    const push1 = deliveryIds('push')[0];
    await until('the push to be handled', () =>
      handledLines().find((l) => l.delivery_id === push1 && l.outcome === 'applied'),
    );
    const runs = await api(`/v1/sync-runs?connection_id=${connectionId}&sync=commits&limit=100`);
    expect(runs.status, JSON.stringify(runs.body)).toBe(200);
    const byWebhook = (runs.body.data.sync_runs as Json[]).filter((r) => r.trigger === 'webhook');
    expect(byWebhook.map((r) => r.mode)).toEqual(['incremental']);
    // Nothing else went out: not the deployment, not the requested run.
    await new Promise((r) => setTimeout(r, 1500));
    expect(
      providerEvents()
        .map((e) => `${e.event_type}.${e.payload.action ?? ''}`)
        .sort(),
    ).toEqual(['push.', 'workflow_run.completed']);
  });
});
