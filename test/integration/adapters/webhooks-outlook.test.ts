import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../../../adapters';
import { WebhookRefused } from '../../../adapters/webhook-signatures';
import { type OutlookFake, startOutlookFake } from '../../fakes/outlook';
import { randomToken } from '../../fakes/server';
import type { WebhookDelivery } from '../../fakes/webhook-outbox';
import { verify as verifyCredentials } from './verify-helpers';
import { deliveriesOf, onlyDeliveryOf, startVerifyingReceiver, webhooksOf } from './webhook-helpers';

const hooks = await webhooksOf('outlook');
const secret = randomToken(40);

let o: OutlookFake;
let receiver: Awaited<ReturnType<typeof startVerifyingReceiver>>;

beforeAll(async () => {
  o = await startOutlookFake();
  receiver = await startVerifyingReceiver(hooks, secret, { path: '/webhooks/outlook', accepted: 202 });
  await o.registerWebhook(receiver.url, secret);
});
afterAll(async () => {
  await o.stop();
  await receiver.stop();
});

type Item = Record<string, unknown> & { resourceData?: { id: string } };
const only = (change: () => unknown) => onlyDeliveryOf(o, change);
const payloadOf = (d: WebhookDelivery) => JSON.parse(d.body) as { value: Item[] };
const requestOf = (body: unknown, query: Record<string, string> = {}): WebhookRequest => ({
  method: 'POST',
  headers: { 'content-type': 'application/json; charset=utf-8' },
  query,
  rawBody: typeof body === 'string' ? body : JSON.stringify(body),
});
const refused = (r: WebhookRequest) =>
  expect(() => hooks.verify(r, secret, Date.now())).toThrow(WebhookRefused);
const verified = (body: unknown) => hooks.verify(requestOf(body), secret, Date.now());

describe('outlook webhooks: verify', () => {
  it("answers Graph's validation request with its token, as text; Graph then subscribes", async () => {
    const validation = receiver.got.find((g) => g.verified?.kind === 'handshake');
    const token = validation?.req.query.validationToken ?? '';
    expect(token).toMatch(/^Validation: Testing client application reachability/);
    expect(validation?.verified).toEqual({
      kind: 'handshake',
      status: 200,
      contentType: 'text/plain',
      body: token,
    });
    expect(o.deliveries()[0]?.response).toBe(token);
    refused(requestOf('', { validationToken: '' }));
  });

  it('accepts a notification whose clientState is the secret, named by what changed', async () => {
    const d = await only(() => o.addMessage({ subject: 'Hello' }));
    expect(d.status).toBe(202);
    expect(receiver.got.at(-1)?.verified).toEqual({
      kind: 'event',
      deliveryId: expect.stringMatching(/^[0-9a-f]{64}$/),
      eventType: 'message.created',
    });
    const e = await only(() => o.addEvent());
    expect(verified(payloadOf(e))).toMatchObject({ eventType: 'event.created' });
  });

  it('refuses a missing or wrong clientState (the receiver answers 401), and what is no notification', async () => {
    const d = await only(() => o.addMessage());
    const item = payloadOf(d).value[0] as Item;
    const { clientState: _, ...noState } = item;
    refused(requestOf({ value: [noState] }));
    refused(
      requestOf({
        value: [{ ...item, clientState: `${secret.slice(0, -1)}${secret.endsWith('x') ? 'y' : 'x'}` }],
      }),
    );
    refused(requestOf({ value: [item, { ...item, clientState: 'someone else' }] }));
    refused(requestOf('not json'));
    refused(requestOf({ value: [] }));
    // At the receiver: a notification under another secret is answered 401.
    const wrong = await fetch(receiver.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: [{ ...item, clientState: randomToken(40) }] }),
    });
    expect(wrong.status).toBe(401);
    const missing = await fetch(receiver.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: [noState] }),
    });
    expect(missing.status).toBe(401);
  });

  it("names Graph's redelivery as the first", async () => {
    const d = await only(() => o.addEvent());
    const retry = await o.redeliver(o.deliveries().indexOf(d));
    expect(retry.body).toBe(d.body);
    expect(verified(payloadOf(retry))).toEqual(verified(payloadOf(d)));
  });
});

describe('outlook webhooks: route and apply', () => {
  it("routes a change to the mailbox's user (the connection's account), lifecycle events by tenant", async () => {
    const v = await verifyCredentials('outlook', { credentials: o.valid, baseUrl: o.apiBaseUrl });
    const keys = hooks.connectionKeys({ account: v.account, metadata: v.metadata ?? {} });
    expect(keys).toEqual([`user:${o.account.id.toLowerCase()}`, `tenant:${o.tenantId.toLowerCase()}`]);
    const d = await only(() => o.addMessage());
    expect(hooks.route(payloadOf(d), 'message.created')).toEqual([`user:${o.account.id.toLowerCase()}`]);
    const missed = await deliveriesOf(o, () => o.lifecycle('missed'));
    expect(missed).toHaveLength(2);
    for (const m of missed)
      expect(hooks.route(payloadOf(m), 'lifecycle.missed')).toEqual([`tenant:${o.tenantId.toLowerCase()}`]);
    expect(hooks.route({ nothing: true }, 'x')).toEqual([]);
  });

  it('creations and updates run the sync concerned (basic notifications carry no data)', async () => {
    const created = await only(() => o.addMessage());
    const id = payloadOf(created).value[0]?.resourceData?.id as string;
    const updated = await only(() => o.updateMessage(id, { subject: 'Changed' }));
    for (const d of [created, updated]) {
      expect(hooks.apply(payloadOf(d), 'message')).toEqual({ kind: 'sync', syncs: ['messages'] });
    }
    const event = await only(() => o.addEvent());
    expect(hooks.apply(payloadOf(event), 'event.created')).toEqual({
      kind: 'sync',
      syncs: ['calendar_events'],
    });
  });

  it('a deletion deletes the record the sync wrote, at once', async () => {
    const m = o.addMessage();
    const e = o.addEvent();
    await o.webhooksSettled();
    const dm = await only(() => o.deleteMessage(m.id));
    expect(verified(payloadOf(dm))).toMatchObject({ eventType: 'message.deleted' });
    expect(hooks.apply(payloadOf(dm), 'message.deleted')).toEqual({
      kind: 'records',
      sync: 'messages',
      records: [],
      deletedIds: [`outlook_message_${m.id}`],
    });
    const de = await only(() => o.deleteEvent(e.id));
    expect(hooks.apply(payloadOf(de), 'event.deleted')).toEqual({
      kind: 'records',
      sync: 'calendar_events',
      records: [],
      deletedIds: [`outlook_event_${e.id}`],
    });
  });

  it('lifecycle: missed runs both syncs; reauthorization changes no record', async () => {
    const missed = await deliveriesOf(o, () => o.lifecycle('missed'));
    for (const d of missed) {
      expect(verified(payloadOf(d))).toMatchObject({ eventType: 'lifecycle.missed' });
      expect(hooks.apply(payloadOf(d), 'lifecycle.missed')).toEqual({
        kind: 'sync',
        syncs: ['calendar_events', 'messages'],
      });
    }
    const reauth = await deliveriesOf(o, () => o.lifecycle('reauthorizationRequired'));
    for (const d of reauth)
      expect(hooks.apply(payloadOf(d), 'lifecycle.reauthorizationRequired')).toBeUndefined();
  });
});
