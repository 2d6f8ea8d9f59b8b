import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../../../adapters';
import { WebhookRefused } from '../../../adapters/webhook-signatures';
import { type StripeFake, startStripeFake } from '../../fakes/stripe';
import type { WebhookDelivery } from '../../fakes/webhook-outbox';
import { sensitive } from '../../leak-watch';
import { expectValid } from './sync-helpers';
import { verify as verifyCredentials } from './verify-helpers';
import { onlyDeliveryOf, processed, requestOf, startVerifyingReceiver, webhooksOf } from './webhook-helpers';

const hooks = await webhooksOf('stripe');
const secret = sensitive(`whsec_${'a1b2c3d4'.repeat(4)}`);

let f: StripeFake;
let receiver: Awaited<ReturnType<typeof startVerifyingReceiver>>;
let customers: string[];
let subs: string[];
let invoices: string[];

beforeAll(async () => {
  f = await startStripeFake();
  customers = f.seedCustomers(3);
  subs = f.seedSubscriptions(2, { customer: customers[0] as string, status: 'active' });
  invoices = f.seedInvoices(2, { customer: customers[0] as string, status: 'open' });
  receiver = await startVerifyingReceiver(hooks, secret, { path: '/webhooks/stripe' });
  f.registerWebhook(receiver.url, secret);
});
afterAll(async () => {
  await f.stop();
  await receiver.stop();
});

const only = (change: () => unknown) => onlyDeliveryOf(f, change);
const refused = (r: WebhookRequest, now = Date.now(), key = secret) =>
  expect(() => hooks.verify(r, key, now)).toThrow(WebhookRefused);
const sign = (body: string, t: number, key = secret) =>
  `t=${t},v1=${createHmac('sha256', key).update(`${t}.${body}`).digest('hex')}`;
const effectOf = (d: WebhookDelivery) => processed(hooks, requestOf(d), secret);

describe('stripe webhook signatures', () => {
  it('a delivery as Stripe sends it verifies: the event id names it, its type is the event type', async () => {
    const d = await only(() => f.updateCustomer(customers[0] as string, { name: 'Signed' }));
    expect(d.status).toBe(200);
    const event = JSON.parse(d.body) as { id: string; type: string };
    expect(hooks.verify(requestOf(d), secret, Date.now())).toEqual({
      kind: 'event',
      deliveryId: event.id,
      eventType: 'customer.updated',
    });
    expect(receiver.got.at(-1)?.verified).toBeDefined();
  });

  it('missing, tampered, stale, wrongly keyed or malformed → refused (the receiver answers 401)', async () => {
    const d = await only(() => f.updateCustomer(customers[0] as string, { name: 'Tamper me' }));
    const { 'stripe-signature': _, ...unsigned } = d.headers;
    refused(requestOf(d, { headers: unsigned }));
    refused(requestOf(d, { rawBody: d.body.replace('Tamper me', 'Tampered') }));
    refused(requestOf(d), Date.now() + 301_000);
    refused(requestOf(d), Date.now() - 301_000);
    refused(requestOf(d), Date.now(), 'whsec_another');
    refused(requestOf(d, { headers: { ...d.headers, 'stripe-signature': 't=abc,v1=00' } }));
    refused(
      requestOf(d, { headers: { ...d.headers, 'stripe-signature': `t=${Math.floor(Date.now() / 1000)}` } }),
    );
    // Within 300 s either way it still verifies.
    expect(hooks.verify(requestOf(d), secret, Date.now() + 290_000).kind).toBe('event');
  });

  it('the receiver answered the fake 401 for a stale redelivery-looking request', async () => {
    const body = JSON.stringify({
      id: 'evt_1',
      object: 'event',
      type: 'customer.updated',
      data: { object: {} },
    });
    const stale = Math.floor(Date.now() / 1000) - 600;
    const res = await fetch(receiver.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': sign(body, stale) },
      body,
    });
    expect(res.status).toBe(401);
    expect(receiver.got.at(-1)?.refused).toBe('stale timestamp');
  });

  it('while a secret is rolled, a v1 for either secret verifies', () => {
    const body = JSON.stringify({ id: 'evt_2', object: 'event', type: 'ping', data: { object: {} } });
    const t = Math.floor(Date.now() / 1000);
    const old = sign(body, t, 'whsec_old').split(',')[1];
    const r: WebhookRequest = {
      method: 'POST',
      headers: { 'stripe-signature': `${sign(body, t)},${old}` },
      query: {},
      rawBody: body,
    };
    expect(hooks.verify(r, secret, Date.now()).kind).toBe('event');
    expect(hooks.verify(r, 'whsec_old', Date.now()).kind).toBe('event');
  });

  it('a signed body that is no Stripe event is refused', () => {
    const body = JSON.stringify({ hello: 'world' });
    const r: WebhookRequest = {
      method: 'POST',
      headers: { 'stripe-signature': sign(body, Math.floor(Date.now() / 1000)) },
      query: {},
      rawBody: body,
    };
    refused(r);
  });
});

describe('stripe webhook routing', () => {
  it('an event of the endpoint’s own account names none: it reaches the connections made with its key', async () => {
    const d = await only(() => f.updateCustomer(customers[1] as string, { name: 'Direct' }));
    expect(effectOf(d).keys).toEqual(['account:endpoint_owner']);
    const own = await verifyCredentials('stripe', { credentials: f.valid, baseUrl: f.apiBaseUrl });
    expect(hooks.connectionKeys({ account: own.account, metadata: own.metadata ?? {} })).toEqual([
      `account:${f.account.id.toLowerCase()}`,
      'account:endpoint_owner',
    ]);
  });

  it('a Connect event names the connected account: it reaches that account’s connection only', async () => {
    const g = await startStripeFake();
    const r = await startVerifyingReceiver(hooks, secret, { path: '/webhooks/connect' });
    try {
      g.registerWebhook(r.url, secret, { connect: true });
      const [c] = g.seedCustomers(1);
      const d = await onlyDeliveryOf(g, () => g.updateCustomer(c as string, { name: 'Connected' }));
      expect(effectOf(d).keys).toEqual([`account:${g.account.id.toLowerCase()}`]);
      const connectKeys = hooks.connectionKeys({
        account: g.account,
        metadata: { account_id: g.account.id, auth: 'connect' },
      });
      expect(connectKeys).toEqual([`account:${g.account.id.toLowerCase()}`]);
      // A direct event does not reach a Connect connection.
      expect(connectKeys).not.toContain('account:endpoint_owner');
    } finally {
      await g.stop();
      await r.stop();
    }
  });
});

describe('stripe webhook apply: records at once', () => {
  it('customer.updated: the customer upserted as the sync maps it', async () => {
    const d = await only(() =>
      f.updateCustomer(customers[2] as string, { name: 'Jane Renamed', balance: -1200 }),
    );
    const { effect } = effectOf(d);
    expect(effect).toMatchObject({ kind: 'records', sync: 'customers', deletedIds: [] });
    if (effect?.kind !== 'records') throw new Error('no records');
    expect(effect.records).toHaveLength(1);
    expect(effect.records[0]).toMatchObject({
      id: customers[2],
      data: { name: 'Jane Renamed', balance: -1200 },
    });
    expectValid(effect.records, 'customer');
  });

  it('customer.deleted: the record deleted', async () => {
    const [gone] = f.seedCustomers(1);
    const d = await only(() => f.deleteCustomer(gone as string));
    expect(effectOf(d).effect).toEqual({
      kind: 'records',
      sync: 'customers',
      records: [],
      deletedIds: [gone],
    });
  });

  it('customer.subscription.updated and .deleted: upserted, the cancellation as cancelled', async () => {
    const up = await only(() => f.setSubscriptionStatus(subs[0] as string, 'past_due'));
    expect(effectOf(up).effect).toMatchObject({
      kind: 'records',
      sync: 'subscriptions',
      records: [{ id: subs[0], data: { status: 'past_due', raw_status: 'past_due' } }],
    });
    const del = await only(() => f.setSubscriptionStatus(subs[1] as string, 'canceled'));
    const e = effectOf(del);
    expect(e.eventType).toBe('customer.subscription.deleted');
    expect(e.effect).toMatchObject({
      kind: 'records',
      sync: 'subscriptions',
      records: [{ id: subs[1], data: { status: 'cancelled', raw_status: 'canceled' } }],
      deletedIds: [],
    });
  });

  it('invoice.payment_failed and invoice.paid: the invoice upserted', async () => {
    const failed = await only(() => f.failInvoicePayment(invoices[0] as string));
    expect(effectOf(failed)).toMatchObject({
      eventType: 'invoice.payment_failed',
      effect: { kind: 'records', sync: 'invoices', records: [{ id: invoices[0], data: { status: 'open' } }] },
    });
    const paid = await only(() => f.payInvoice(invoices[0] as string));
    const e = effectOf(paid);
    expect(e.effect).toMatchObject({
      kind: 'records',
      sync: 'invoices',
      records: [{ id: invoices[0], data: { status: 'paid', amount_remaining: 0 } }],
    });
    if (e.effect?.kind === 'records') expectValid(e.effect.records, 'invoice');
  });

  it('invoice.deleted (a draft): the record deleted', async () => {
    const [draft] = f.seedInvoices(1, {
      customer: customers[0] as string,
      status: 'draft',
      subscription: null,
    });
    const d = await only(() => f.deleteInvoice(draft as string));
    expect(effectOf(d).effect).toEqual({
      kind: 'records',
      sync: 'invoices',
      records: [],
      deletedIds: [draft],
    });
  });

  it('an object the mapping cannot read runs its sync; other events change no record', () => {
    const broken = {
      id: 'evt_3',
      object: 'event',
      type: 'customer.updated',
      data: { object: { id: 'cus_X1', object: 'customer' } },
    };
    expect(hooks.apply(broken, 'customer.updated')).toEqual({ kind: 'sync', syncs: ['customers'] });
    const charge = {
      id: 'evt_4',
      object: 'event',
      type: 'charge.succeeded',
      data: { object: { id: 'ch_1', object: 'charge' } },
    };
    expect(hooks.apply(charge, 'charge.succeeded')).toBeUndefined();
    const upcoming = {
      id: 'evt_5',
      object: 'event',
      type: 'invoice.upcoming',
      data: { object: { object: 'invoice' } },
    };
    expect(hooks.apply(upcoming, 'invoice.upcoming')).toBeUndefined();
  });

  it('account.application.deauthorized of a connected account: disconnect', () => {
    const e = {
      id: 'evt_6',
      object: 'event',
      type: 'account.application.deauthorized',
      account: 'acct_123',
      data: { object: { id: 'ca_1', object: 'application' } },
    };
    expect(hooks.apply(e, 'account.application.deauthorized')).toMatchObject({ kind: 'disconnect' });
  });
});
