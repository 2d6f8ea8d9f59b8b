import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter } from '../../../adapters';
import { type StripeFake, startStripeFake } from '../../fakes/stripe';
import { runAction } from './action-helpers';
import { expectProviderError, secretsOf } from './verify-helpers';

let f: StripeFake;
let customers: string[];
let subs: string[];
beforeAll(async () => {
  f = await startStripeFake({ apiShape: 'legacy' });
  customers = f.seedCustomers(25);
  f.updateCustomer(customers[3] as string, { email: 'shared@example.test' });
  f.updateCustomer(customers[7] as string, { email: 'shared@example.test' });
  subs = f.seedSubscriptions(8, { customer: customers[0] as string });
});
afterAll(() => f.stop());

const act = (action: string, input: Record<string, unknown>, credentials = f.valid) =>
  runAction('stripe', action, { credentials, baseUrl: f.apiBaseUrl }, input);

describe('stripe list_customers', () => {
  it('pages newest first with next_cursor, each a customer record', async () => {
    const first = await act('list_customers', { limit: 10 });
    const ids = (first.customers as { id: string }[]).map((c) => c.id);
    expect(ids).toEqual([...customers].reverse().slice(0, 10));
    expect(first).toMatchObject({ has_more: true, next_cursor: ids[9] });
    const second = await act('list_customers', { limit: 10, starting_after: first.next_cursor });
    expect((second.customers as { id: string }[]).map((c) => c.id)).toEqual(
      [...customers].reverse().slice(10, 20),
    );
    const last = await act('list_customers', { limit: 10, starting_after: second.next_cursor });
    expect(last).toMatchObject({ has_more: false, next_cursor: null });
    expect(last.customers).toHaveLength(5);
  });

  it('filters by email', async () => {
    const r = await act('list_customers', { email: 'shared@example.test' });
    expect((r.customers as { id: string }[]).map((c) => c.id).sort()).toEqual(
      [customers[3], customers[7]].sort(),
    );
  });

  it('an unknown cursor: rejected with Stripe’s message and param', async () => {
    await expectProviderError(act('list_customers', { starting_after: 'cus_Nope00000000' }), 'rejected', {
      message: "No such customer: 'cus_Nope00000000' (param: starting_after)",
      status: 400,
    });
  });

  it('input the schema refuses never reaches Stripe', async () => {
    const fn = (await loadAdapter('stripe'))?.actions.list_customers;
    expect(fn?.prepare({ limit: 101 }).success).toBe(false);
    expect(fn?.prepare({ starting_after: 'sub_123' }).success).toBe(false);
    expect(fn?.prepare({ limit: 100 }).success).toBe(true);
  });
});

describe('stripe get_subscription', () => {
  it('a subscription, status mapped and raw_status kept (legacy shape: period on the subscription)', async () => {
    const canceled = subs.find((id) => f.subscription(id)?.status === 'canceled') as string;
    const r = await act('get_subscription', { id: canceled });
    expect(r.subscription).toMatchObject({
      id: canceled,
      status: 'cancelled',
      raw_status: 'canceled',
      customer: customers[0],
      cancelled_at: expect.any(String),
      current_period_end: expect.any(String),
    });
  });

  it('an unknown id: rejected, 404 with Stripe’s message', async () => {
    await expectProviderError(act('get_subscription', { id: 'sub_Missing123' }), 'rejected', {
      message: "No such subscription: 'sub_Missing123' (param: id)",
      status: 404,
    });
  });
});

describe('stripe create_customer_portal_session', () => {
  it('POSTs a form and answers the portal URL', async () => {
    const from = f.requests.length;
    const r = await act('create_customer_portal_session', {
      customer: customers[0],
      return_url: 'https://app.acme.test/account',
      locale: 'fr',
    });
    const made = f.portalSessions().at(-1);
    expect(r).toEqual({
      url: made?.url,
      session: {
        id: made?.id,
        customer: customers[0],
        return_url: 'https://app.acme.test/account',
        livemode: false,
        created_at: expect.any(String),
      },
    });
    expect(made?.locale).toBe('fr');
    const sent = f.requests.slice(from)[0];
    expect(sent?.method).toBe('POST');
    expect(sent?.headers['content-type']).toContain('application/x-www-form-urlencoded');
  });

  it('an unknown customer: rejected with Stripe’s words', async () => {
    await expectProviderError(
      act('create_customer_portal_session', { customer: 'cus_Gone12345' }),
      'rejected',
      {
        // The message names the param already: it is not repeated.
        message: "No such customer: 'cus_Gone12345'",
      },
    );
  });

  it('a restricted key without the portal permission: rejected, the key not shown', async () => {
    await expectProviderError(
      act('create_customer_portal_session', { customer: customers[0] }, f.accountOnly),
      'rejected',
      { status: 403, message: /rak_portal_write/, secrets: secretsOf(f.accountOnly) },
    );
  });

  it('5xx → unreachable, 429 → rate_limited', async () => {
    f.failNext('down');
    await expectProviderError(
      act('create_customer_portal_session', { customer: customers[0] }),
      'unreachable',
    );
    f.failNext('rate_limit', 3);
    const e = await expectProviderError(
      act('create_customer_portal_session', { customer: customers[0] }),
      'rate_limited',
    );
    expect(e.retryAfterSeconds).toBe(3);
  });
});
