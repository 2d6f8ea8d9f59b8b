import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncRecord } from '../../../adapters';
import { type StripeFake, startStripeFake } from '../../fakes/stripe';
import { expectValid, fetchPage, idsOf, runSync, type SyncCall } from './sync-helpers';
import { expectProviderError, secretsOf } from './verify-helpers';

const run = (f: StripeFake, sync: string, call: Partial<SyncCall> = {}) =>
  runSync('stripe', sync, { credentials: f.valid, baseUrl: f.apiBaseUrl, ...call });
const byId = (records: SyncRecord[]) => new Map(records.map((r) => [r.id, r.data]));
const asked = (f: StripeFake, from: number) => f.requests.slice(from).map((r) => r.path);

describe.each(['basil', 'legacy'] as const)('stripe syncs, objects rendered %s', (shape) => {
  let f: StripeFake;
  let customers: string[];
  let subs: string[];
  let invoices: string[];
  beforeAll(async () => {
    f = await startStripeFake({ apiShape: shape });
    customers = f.seedCustomers(230);
    f.deleteCustomer(customers[10] as string);
    subs = f.seedSubscriptions(16, { customer: customers[1] as string });
    invoices = f.seedInvoices(15, { customer: customers[2] as string });
  });
  afterAll(() => f.stop());

  it('customers: every page of 100 following starting_after, deleted ones left out, each valid', async () => {
    const from = f.requests.length;
    const r = await run(f, 'customers');
    expect(r.pages).toBe(3);
    expect(idsOf(r.records)).toEqual(customers.filter((_, i) => i !== 10).sort());
    expectValid(r.records, 'customer');
    expect(asked(f, from)).toEqual(['/v1/customers', '/v1/customers', '/v1/customers']);
    const cursors = f
      .calls()
      .slice(-3)
      .map((c) => new URL(`http://x${c.slice(4)}`).searchParams);
    expect(cursors.map((q) => q.get('limit'))).toEqual(['100', '100', '100']);
    expect(cursors[0]?.get('starting_after')).toBeNull();
    expect(cursors[1]?.get('starting_after')).toBe(r.records[99]?.id);
    expect(cursors[2]?.get('starting_after')).toBe(r.records[199]?.id);
    const c = byId(r.records);
    // customer 7: balance -500 (a credit), customer 5: no currency yet, customer 9: no name.
    expect(c.get(customers[6] as string)).toMatchObject({ balance: -500, currency: 'usd' });
    expect(c.get(customers[4] as string)).toMatchObject({ currency: null });
    expect(c.get(customers[8] as string)).toMatchObject({ name: null, email: 'customer9@example.test' });
    expect(c.get(customers[10] as string)).toBeUndefined();
    expect(c.get(customers[0] as string)?.url).toBe(
      `https://dashboard.stripe.com/test/customers/${customers[0]}`,
    );
  });

  it('subscriptions: every status, cancelled ones included (status=all), mapped with raw_status', async () => {
    const r = await run(f, 'subscriptions');
    expect(idsOf(r.records)).toEqual([...subs].sort());
    expectValid(r.records, 'subscription');
    const got = byId(r.records);
    const pairs = subs.map((id) => [f.subscription(id)?.status, got.get(id)?.status]);
    expect(new Map(pairs as [string, string][])).toEqual(
      new Map([
        ['trialing', 'trialing'],
        ['active', 'active'],
        ['past_due', 'past_due'],
        ['unpaid', 'unpaid'],
        ['paused', 'paused'],
        ['canceled', 'cancelled'],
        ['incomplete', 'incomplete'],
        ['incomplete_expired', 'cancelled'],
      ]),
    );
    for (const id of subs) expect(got.get(id)?.raw_status).toBe(f.subscription(id)?.status);
    const first = got.get(subs[0] as string) as Record<string, unknown>;
    const raw = f.subscription(subs[0] as string) as Record<string, unknown>;
    // The period end is read from the subscription (legacy) or its items (basil) alike.
    expect(first.current_period_end).toBe(new Date((raw._period_end as number) * 1000).toISOString());
    expect(first.customer).toBe(customers[1]);
    expect((first.items as unknown[])[0]).toMatchObject({ quantity: 1, unit_amount: 1900, interval: 'year' });
  });

  it('invoices: amounts in minor units, the subscription from either API shape', async () => {
    const r = await run(f, 'invoices');
    expect(idsOf(r.records)).toEqual([...invoices].sort());
    expectValid(r.records, 'invoice');
    const got = byId(r.records);
    const paid = invoices.find((id) => f.invoice(id)?.status === 'paid') as string;
    const raw = f.invoice(paid) as Record<string, unknown>;
    expect(got.get(paid)).toMatchObject({
      status: 'paid',
      amount_due: raw.amount_due,
      amount_paid: raw.amount_due,
      amount_remaining: 0,
      currency: 'usd',
      subscription: raw._subscription,
      customer: customers[2],
    });
    expect(got.get(paid)?.paid_at).toEqual(expect.any(String));
    const draft = invoices.find((id) => f.invoice(id)?.status === 'draft') as string;
    expect(got.get(draft)).toMatchObject({ status: 'draft', number: null, url: null, paid_at: null });
  });
});

describe('stripe incremental runs: the Events API', () => {
  let f: StripeFake;
  let customers: string[];
  let subs: string[];
  let invoices: string[];
  let since: string;
  beforeAll(async () => {
    f = await startStripeFake();
    customers = f.seedCustomers(5);
    subs = f.seedSubscriptions(3, { customer: customers[0] as string, status: 'active' });
    invoices = f.seedInvoices(3, { customer: customers[0] as string, status: 'draft', subscription: null });
    // Events of the seed are older than `since`: only the changes below are after it.
    for (const e of f.events()) e.created = (e.created as number) - 3600;
    since = new Date(Date.now() - 60_000).toISOString();
    f.updateCustomer(customers[1] as string, { name: 'Renamed once' });
    f.updateCustomer(customers[1] as string, { name: 'Renamed twice' });
    f.deleteCustomer(customers[2] as string);
    f.setSubscriptionStatus(subs[0] as string, 'past_due');
    f.setSubscriptionStatus(subs[1] as string, 'canceled');
    f.payInvoice(invoices[0] as string);
    f.deleteInvoice(invoices[1] as string);
  });
  afterAll(() => f.stop());

  it('customers: the latest state of each changed one, deletions as deletedIds, nothing listed', async () => {
    const from = f.requests.length;
    const r = await run(f, 'customers', { since, mode: 'incremental' });
    expect(asked(f, from)).toEqual(['/v1/events']);
    expect(r.records.map((x) => [x.id, x.data.name])).toEqual([[customers[1], 'Renamed twice']]);
    expect(r.deletedIds).toEqual([customers[2]]);
    expectValid(r.records, 'customer');
  });

  it('asks for its own event types and created[gte] = since, 100 a page', async () => {
    const from = f.calls().length;
    await run(f, 'subscriptions', { since, mode: 'incremental' });
    const sent = f.calls().slice(from);
    expect(sent).toHaveLength(1);
    const url = new URL(`http://x${(sent[0] as string).slice('GET '.length)}`);
    expect(url.pathname).toBe('/v1/events');
    expect(url.searchParams.get('limit')).toBe('100');
    expect(url.searchParams.get('created[gte]')).toBe(String(Math.floor(Date.parse(since) / 1000)));
    const types = url.searchParams.getAll('types[]');
    expect(types).toContain('customer.subscription.deleted');
    expect(types.every((t) => t.startsWith('customer.subscription.'))).toBe(true);
  });

  it('subscriptions: a cancellation (customer.subscription.deleted) is an upsert, cancelled', async () => {
    const r = await run(f, 'subscriptions', { since, mode: 'incremental' });
    const got = byId(r.records);
    expect(got.get(subs[0] as string)).toMatchObject({ status: 'past_due', raw_status: 'past_due' });
    expect(got.get(subs[1] as string)).toMatchObject({ status: 'cancelled', raw_status: 'canceled' });
    expect(r.deletedIds).toEqual([]);
    expect(r.records).toHaveLength(2);
  });

  it('invoices: paid upserted, a deleted draft deleted', async () => {
    const r = await run(f, 'invoices', { since, mode: 'incremental' });
    expect(r.records.map((x) => [x.id, x.data.status])).toEqual([[invoices[0], 'paid']]);
    expect(r.deletedIds).toEqual([invoices[1]]);
  });

  it('pages through more than 100 events, keeping the newest state of each object', async () => {
    const g = await startStripeFake();
    try {
      const [c] = g.seedCustomers(1);
      const others = g.seedCustomers(40);
      for (const e of g.events()) e.created = (e.created as number) - 3600;
      const t = new Date(Date.now() - 60_000).toISOString();
      for (let i = 1; i <= 150; i++) g.updateCustomer(c as string, { name: `Name ${i}` });
      for (const id of others) g.updateCustomer(id, { email: `new-${id}@example.test` });
      const r = await run(g, 'customers', { since: t, mode: 'incremental' });
      expect(r.pages).toBe(2);
      expect(r.records).toHaveLength(41);
      expect(byId(r.records).get(c as string)?.name).toBe('Name 150');
    } finally {
      await g.stop();
    }
  });

  it('a since older than the 30 days Stripe keeps events: a full listing, flagged resync', async () => {
    const old = new Date(Date.now() - 31 * 86_400_000).toISOString();
    const from = f.requests.length;
    const p = await fetchPage('stripe', 'customers', {
      credentials: f.valid,
      baseUrl: f.apiBaseUrl,
      since: old,
      mode: 'incremental',
    });
    expect(p.resync).toBe(true);
    expect(asked(f, from)).toEqual(['/v1/customers']);
    expect(p.records).toHaveLength(4);
  });
});

describe('stripe sync errors', () => {
  let f: StripeFake;
  beforeAll(async () => {
    f = await startStripeFake();
    f.seedCustomers(3);
  });
  afterAll(() => f.stop());

  it('a restricted key without the permission: rejected with Stripe’s words, the key not shown', async () => {
    const e = await expectProviderError(run(f, 'customers', { credentials: f.accountOnly }), 'rejected', {
      message: /does not have the required permissions .*rak_customer_read/,
      status: 403,
      secrets: secretsOf(f.accountOnly),
    });
    expect(e.providerMessage).toContain("'[key]'");
  });

  it('a bad key: rejected, masked key left out', async () => {
    const bad = { type: 'api_key' as const, api_key: 'sk_test_51NotAKey000000000000000001234' };
    const e = await expectProviderError(run(f, 'customers', { credentials: bad }), 'rejected', {
      status: 401,
    });
    expect(e.providerMessage).toBe('Invalid API Key provided: [key]');
    expect(e.providerMessage).not.toContain('1234');
  });

  it('429 → rate_limited with Retry-After; 5xx → unreachable', async () => {
    f.failNext('rate_limit', 9);
    const limited = await expectProviderError(run(f, 'customers'), 'rate_limited');
    expect(limited.retryAfterSeconds).toBe(9);
    f.failNext('down');
    await expectProviderError(run(f, 'customers'), 'unreachable', { status: 500 });
    expect((await run(f, 'customers')).records).toHaveLength(3);
  });
});
