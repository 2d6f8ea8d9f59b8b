import { randomBytes } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { WebhookRequest } from '../../../adapters';
import { WebhookRefused } from '../../../adapters/webhook-signatures';
import { getIntegration } from '../../../core/store/integrations-repo';
import { processWebhookEvent } from '../../../core/webhooks/process';
import { logger } from '../../../functions/middleware/logger';
import { workerFor } from '../../../functions/workers';
import { pollWorker } from '../../../local/runtime';
import { emailEvents, type ResendFake, startResendFake } from '../../fakes/resend';
import { newSigningSecret, svixSign } from '../../fakes/resend-webhooks';
import type { WebhookDelivery } from '../../fakes/webhook-outbox';
import { call, type Harness, type Json, startHarness } from '../harness';
import { runAction } from './action-helpers';
import { verify as verifyCredentials } from './verify-helpers';
import { onlyDeliveryOf, requestOf, startVerifyingReceiver, webhooksOf } from './webhook-helpers';

const hooks = await webhooksOf('resend');
const secret = newSigningSecret();

/** The webhook endpoint: what the receiver does first — verify the raw request — and its answer. */
const startReceiver = () => startVerifyingReceiver(hooks, secret, { path: '/webhooks/resend' });

let resend: ResendFake;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let metadata: Record<string, string>;

beforeAll(async () => {
  resend = await startResendFake();
  receiver = await startReceiver();
  resend.registerWebhook(receiver.url, secret);
  metadata =
    (await verifyCredentials('resend', { credentials: resend.valid, baseUrl: resend.apiBaseUrl })).metadata ??
    {};
});
afterAll(async () => {
  await resend.stop();
  await receiver.stop();
});

const send = (input: Record<string, unknown> = {}) =>
  runAction(
    'resend',
    'send_email',
    { credentials: resend.valid, baseUrl: resend.apiBaseUrl },
    {
      from: 'Acme <billing@acme.test>',
      to: 'jane@customer.test',
      subject: 'Invoice',
      text: 'Thanks',
      ...input,
    },
  );

const only = (change: () => unknown) => onlyDeliveryOf(resend, change);
const payloadOf = (d: WebhookDelivery) =>
  JSON.parse(d.body) as { type: string; created_at: string; data: Record<string, unknown> };
const refused = (r: WebhookRequest, now = Date.now(), key = secret) =>
  expect(() => hooks.verify(r, key, now)).toThrow(WebhookRefused);

describe('resend webhooks: verify', () => {
  it('accepts a signed event from the fake: svix-id names the delivery, type the event', async () => {
    let id = '';
    const d = await only(async () => {
      id = ((await send()).message as { id: string }).id;
    });
    expect(d.status).toBe(200);
    expect(d.headers['svix-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(payloadOf(d)).toMatchObject({ type: 'email.sent', data: { email_id: id, subject: 'Invoice' } });
    expect(receiver.got.at(-1)?.verified).toEqual({
      kind: 'event',
      deliveryId: d.headers['svix-id'],
      eventType: 'email.sent',
    });
  });

  it('refuses missing, short, tampered, stale and wrong-secret signatures', async () => {
    const id = resend.seedEmail();
    const d = await only(() => resend.advance(id, 'email.delivered'));
    const h = d.headers;
    const ts = Number(h['svix-timestamp']);
    const sig = h['svix-signature'] as string;
    for (const name of ['svix-id', 'svix-timestamp', 'svix-signature']) {
      const { [name]: _, ...without } = h;
      refused(requestOf(d, { headers: without }));
    }
    refused(requestOf(d, { headers: { ...h, 'svix-signature': sig.slice(0, -4) } }));
    refused(requestOf(d, { headers: { ...h, 'svix-signature': sig.slice(3) } }));
    refused(requestOf(d, { headers: { ...h, 'svix-signature': `v2,${sig.slice(3)}` } }));
    refused(requestOf(d, { rawBody: d.body.replace('email.delivered', 'email.bounced') }));
    // The id and timestamp are signed too.
    refused(requestOf(d, { headers: { ...h, 'svix-id': `${h['svix-id']}x` } }));
    refused(requestOf(d, { headers: { ...h, 'svix-timestamp': String(ts + 1) } }));
    refused(requestOf(d, { headers: { ...h, 'svix-timestamp': 'soon' } }));
    // More than 5 minutes off, either way.
    refused(requestOf(d), ts * 1000 + 301_000);
    refused(requestOf(d), ts * 1000 - 301_000);
    refused(requestOf(d), Date.now(), `whsec_${randomBytes(24).toString('base64')}`);
    refused(requestOf(d), Date.now(), 'whsec_');
    // The same request within the window passes: only the change made the difference.
    expect(hooks.verify(requestOf(d), secret, ts * 1000 + 299_000).kind).toBe('event');
  });

  it('accepts any v1 signature of several (Svix sends one per secret while rotating)', async () => {
    const d = await only(() => resend.advance(resend.seedEmail(), 'email.opened'));
    const other = svixSign(newSigningSecret(), d.headers['svix-id'] as string, 1, d.body);
    const headers = { ...d.headers, 'svix-signature': `${other} ${d.headers['svix-signature']}` };
    expect(hooks.verify(requestOf(d, { headers }), secret, Date.now())).toMatchObject({
      eventType: 'email.opened',
    });
  });

  it('refuses a signed body that is no Resend event', () => {
    const body = JSON.stringify({ hello: 'world' });
    const ts = Math.floor(Date.now() / 1000);
    refused({
      method: 'POST',
      headers: {
        'svix-id': 'msg_x',
        'svix-timestamp': String(ts),
        'svix-signature': svixSign(secret, 'msg_x', ts, body),
      },
      query: {},
      rawBody: body,
    });
    refused({
      method: 'POST',
      headers: {
        'svix-id': 'msg_y',
        'svix-timestamp': String(ts),
        'svix-signature': svixSign(secret, 'msg_y', ts, 'nope'),
      },
      query: {},
      rawBody: 'nope',
    });
  });

  it('names a retry as the first delivery: same svix-id, signed anew', async () => {
    const d = await only(() => resend.advance(resend.seedEmail(), 'email.clicked'));
    const retry = await resend.redeliver(resend.deliveries().indexOf(d));
    expect(retry.status).toBe(200);
    expect(retry.body).toBe(d.body);
    expect(retry.headers['svix-id']).toBe(d.headers['svix-id']);
    expect(hooks.verify(requestOf(retry), secret, Date.now())).toEqual(
      hooks.verify(requestOf(d), secret, Date.now()),
    );
  });
});

describe('resend webhooks: route and apply', () => {
  it("routes by the sender's domain: what the connection keeps of its team's domains", async () => {
    const d = await only(() => send({ from: 'Ops Team <Ops@Mail.Acme.test>' }));
    const keys = hooks.route(payloadOf(d), 'email.sent');
    expect(keys).toEqual(['domain:mail.acme.test']);
    expect(hooks.route(payloadOf(await only(() => send())), 'email.sent')).toEqual(['domain:acme.test']);
    expect(metadata).toEqual({ domain_1_id: 'acme.test', domain_2_id: 'mail.acme.test' });
    expect(hooks.connectionKeys({ account: resend.account, metadata })).toEqual([
      'domain:acme.test',
      'domain:mail.acme.test',
    ]);
  });

  it('routes nothing it cannot read', () => {
    expect(hooks.route({ type: 'email.sent', data: {} }, 'email.sent')).toEqual([]);
    expect(hooks.route({ type: 'email.sent', data: { from: 'nobody' } }, 'email.sent')).toEqual([]);
    expect(hooks.route('not an object', 'x')).toEqual([]);
    expect(hooks.route({ type: 'contact.created', data: { audience_id: 'a' } }, 'contact.created')).toEqual(
      [],
    );
  });

  it('changes no record for any email event (the tenant gets it as provider.event)', async () => {
    const id = resend.seedEmail();
    for (const event of Object.keys(emailEvents).filter((e) => e !== 'email.sent')) {
      const d = await only(() => resend.advance(id, event as keyof typeof emailEvents));
      const p = payloadOf(d);
      expect(p).toMatchObject({ type: event, data: { email_id: id } });
      expect(hooks.verify(requestOf(d), secret, Date.now())).toMatchObject({ eventType: event });
      expect(hooks.route(p, event)).toEqual(['domain:acme.test']);
      expect(hooks.apply(p, event)).toBeUndefined();
    }
    expect(resend.email(id)?.last_event).toBe('clicked');
  });
});

describe('resend webhooks through the receiver', () => {
  let h: Harness;
  let url: string;
  let connectionId: string;
  let poller: { stop: () => Promise<void> };
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  const SECRET = newSigningSecret();

  const api = (path: string, body?: unknown) =>
    call(h.gateway.url, path, {
      key: h.key,
      ...(body !== undefined ? { method: 'POST', body: JSON.stringify(body) } : {}),
    });

  beforeAll(async () => {
    h = await startHarness();
    const i = await api('/v1/integrations', {
      unique_key: 'resend-hooks',
      provider: 'resend',
      webhook_secret: SECRET,
      endpoints: { api_base_url: resend.apiBaseUrl },
    });
    expect(i.status, JSON.stringify(i.body)).toBe(201);
    const c = await api('/v1/connections', {
      integration: 'resend-hooks',
      end_user_id: 'u_resend',
      credentials: resend.valid,
    });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    connectionId = c.body.data.id;
    expect(c.body.data.provider_account).toEqual(resend.account);
    url = `${h.gateway.url}/webhooks/${h.tenantId}/resend-hooks`;
    resend.registerWebhook(url, SECRET);
    poller = pollWorker(sqs, workerFor('webhook'));
  });
  afterAll(async () => {
    await poller?.stop();
    sqs.destroy();
    resend.registerWebhook(receiver.url, secret);
    await h?.stop();
  });

  it('accepts a signed event (200) and its redelivery (200), applied once by the processor; refuses a stale one (401)', async () => {
    const handled = vi.spyOn(logger, 'info');
    const d = await only(() => send({ subject: 'Through the receiver' }));
    expect(d.status, d.response).toBe(200);
    expect(JSON.parse(d.response ?? '{}')).toEqual({ status: 'success', data: { received: true } });
    const id = d.headers['svix-id'] as string;
    // The processor claims the svix-id: the first copy is applied, the redelivery dropped.
    // The redelivery is sent once the first copy is applied: sent at once, both copies can
    // land in one SQS batch, race for the claim, and the loser may be logged first.
    const outcomes = () =>
      handled.mock.calls
        .filter(
          ([m, a]) => m === 'webhook event handled' && (a as { delivery_id?: string }).delivery_id === id,
        )
        .map(([, a]) => (a as { outcome: string }).outcome);
    await vi.waitFor(() => expect(outcomes()).toEqual(['applied']), { timeout: 15_000 });
    const again = await resend.redeliver(resend.deliveries().indexOf(d));
    expect(again.status).toBe(200);
    expect(JSON.parse(again.response ?? '{}')).toEqual({ status: 'success', data: { received: true } });
    await vi.waitFor(() => expect(outcomes()).toHaveLength(2), { timeout: 15_000 });
    expect(outcomes()).toEqual(['applied', 'duplicate']);
    handled.mockRestore();

    const stale = Math.floor(Date.now() / 1000) - 600;
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'svix-id': `${id}_stale`,
        'svix-timestamp': String(stale),
        'svix-signature': svixSign(SECRET, `${id}_stale`, stale, d.body),
      },
      body: d.body,
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as Json).error).toMatchObject({
      code: 'unauthorized',
      details: { provider: 'resend', reason: 'stale timestamp' },
    });
  });

  it("routes an event to the connection holding the sender's domain; a stranger's stays unrouted", async () => {
    const integration = await getIntegration(h.tenantId, 'resend-hooks');
    const event = (from: string, deliveryId: string) => ({
      tenant_id: h.tenantId,
      integration_key: 'resend-hooks',
      integration_id: integration?.integration_id as string,
      delivery_id: deliveryId,
      event_type: 'email.delivered',
      received_at: new Date().toISOString(),
      body: JSON.stringify({
        type: 'email.delivered',
        created_at: new Date().toISOString(),
        data: { email_id: 'e1', from, to: ['jane@customer.test'], subject: 'Hi' },
      }),
    });
    expect(await processWebhookEvent(event('Acme <ops@mail.acme.test>', 'msg_routed'))).toEqual({
      outcome: 'applied',
      connections: [{ connection_id: connectionId, effect: 'none' }],
    });
    expect(await processWebhookEvent(event('someone@elsewhere.test', 'msg_stranger'))).toEqual({
      outcome: 'unrouted',
      connections: [],
    });
    const kept = await api('/v1/integrations/resend-hooks/webhook-events?status=unrouted');
    expect(kept.body.data.webhook_events.map((e: Json) => e.delivery_id)).toContain('msg_stranger');
    expect(kept.body.data.webhook_events.map((e: Json) => e.delivery_id)).not.toContain('msg_routed');
  });
});
