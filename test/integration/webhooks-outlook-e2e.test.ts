import { randomUUID } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTLE_MS } from '../../core/store/records-repo';
import { workerFor } from '../../functions/workers';
import { pollWorker } from '../../local/runtime';
import { type OutlookFake, startOutlookFake } from '../fakes/outlook';
import { sensitive } from '../leak-watch';
import { call, type Harness, type Json, startHarness } from './harness';

/**
 * Outlook change notifications as a user wires them (README "Provider webhooks"): an
 * integration with a webhook secret, a connection, its messages synced once; the
 * integration's webhook URL subscribed at Graph's fake with the secret as clientState. Graph's
 * validation request is answered by the real receiver; a new message reaches /v1/records
 * through the webhook-triggered incremental sync, a deleted one is deleted at once; a
 * notification without the clientState, or with another, is refused with 401.
 */

let h: Harness;
let o: OutlookFake;
let connectionId: string;
let hookUrl: string;
const KEY = 'outlook-hooks';
const secret = sensitive(`whsec-outlook-${randomUUID()}`);
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
const pollers: { stop: () => Promise<void> }[] = [];

const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  call(h.gateway.url, path, {
    key: h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

const until = async <T>(what: string, find: () => Promise<T | undefined>): Promise<T> => {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const found = await find();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const record = async (id: string): Promise<Json | undefined> => {
  let cursor: string | null = null;
  for (let i = 0; i < 20; i++) {
    const r: Json = (
      await api(
        `/v1/records?connection_id=${connectionId}&model=message&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      )
    ).body.data;
    const found = (r.records as Json[]).find((x) => x.id === id);
    if (found) return found;
    cursor = r.next_cursor;
    if (!r.has_more) return undefined;
  }
  return undefined;
};

beforeAll(async () => {
  h = await startHarness();
  for (const queue of ['webhook', 'sync'] as const) pollers.push(pollWorker(sqs, workerFor(queue)));
  o = await startOutlookFake();
  o.seedMessages(5);
  const i = await api('/v1/integrations', {
    method: 'POST',
    body: {
      unique_key: KEY,
      provider: 'outlook',
      webhook_secret: secret,
      endpoints: { api_base_url: o.apiBaseUrl },
    },
  });
  expect(i.status, JSON.stringify(i.body)).toBe(201);
  const c = await api('/v1/connections', {
    method: 'POST',
    body: { integration: KEY, end_user_id: 'u_outlook', credentials: o.valid },
  });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  connectionId = c.body.data.id;
  const t = await api('/v1/syncs/trigger', {
    method: 'POST',
    body: { connection_id: connectionId, syncs: ['messages'], mode: 'full' },
  });
  expect(t.status).toBe(202);
  await until('the first messages run', async () => {
    const r: Json = (await api(`/v1/sync-runs/${t.body.data.runs[0].id}`)).body.data;
    return r.status === 'success' ? r : undefined;
  });
  hookUrl = `${h.gateway.url}/webhooks/${h.tenantId}/${KEY}`;
  // Graph validates the notification URL before it subscribes: the receiver echoes the token.
  await o.registerWebhook(hookUrl, secret);
}, 120_000);

afterAll(async () => {
  await Promise.all(pollers.map((p) => p.stop()));
  await o?.stop();
  sqs.destroy();
  await h?.stop();
});

describe('outlook webhooks, end to end', () => {
  it('answered the validation request with the token, as text', () => {
    const validation = o.deliveries()[0];
    expect(validation?.url).toContain('validationToken=');
    expect(validation?.status).toBe(200);
    expect(validation?.response).toBe(new URL(validation?.url ?? '').searchParams.get('validationToken'));
  });

  it('a new message reaches /v1/records; a deleted one is deleted', { timeout: 60_000 }, async () => {
    const m = o.addMessage({ subject: `Webhook ${randomUUID().slice(0, 8)}` });
    await o.webhooksSettled();
    expect(o.deliveries().at(-1)?.status).toBe(200);
    const added = await until('the new message in the feed', () => record(`outlook_message_${m.id}`));
    expect(added).toMatchObject({ subject: m.subject, channel: 'inbox', _meta: { last_action: 'added' } });
    const runs: Json = (await api(`/v1/sync-runs?connection_id=${connectionId}&sync=messages`)).body.data;
    expect((runs.sync_runs as Json[]).some((r) => r.trigger === 'webhook' && r.mode === 'incremental')).toBe(
      true,
    );

    o.deleteMessage(m.id);
    await o.webhooksSettled();
    expect(o.deliveries().at(-1)?.status).toBe(200);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const gone = await until('the deletion in the feed', async () => {
      const r = await record(`outlook_message_${m.id}`);
      return r?._meta.last_action === 'deleted' ? r : undefined;
    });
    expect(gone._meta.deleted_at).not.toBeNull();
  });

  it('refuses a notification without the clientState, or with another, with 401', async () => {
    const d = o.deliveries().at(-1);
    const item = (JSON.parse(d?.body ?? '{}') as { value: Record<string, unknown>[] }).value[0] ?? {};
    const { clientState: _, ...noState } = item;
    for (const value of [
      [noState],
      [{ ...item, clientState: `x${secret}` }],
      [{ ...item, clientState: 'wrong' }],
    ]) {
      const r = await call(h.gateway.url, `/webhooks/${h.tenantId}/${KEY}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ value }),
      });
      expect(r.status, JSON.stringify(r.body)).toBe(401);
      expect((r.body as Json).error.code).toBe('unauthorized');
    }
  });
});
