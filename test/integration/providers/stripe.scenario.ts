import { expect } from 'vitest';
import { startStripeFake } from '../../fakes/stripe';
import type { Json } from '../harness';
import type { ProviderScenario } from './scenario';

/**
 * Stripe against its fake, connected with a secret key: 102 customers (two pages of 100; one
 * deleted since, which no list returns), 16 subscriptions in every status — cancelled ones
 * included, which Stripe lists only with `status=all` — and 16 invoices in every status (a
 * draft deleted since). Objects are rendered in the current API version ("basil").
 */
const scenario: ProviderScenario = {
  provider: 'stripe',
  start: async () => {
    const stripe = await startStripeFake();
    const customers = stripe.seedCustomers(102);
    stripe.deleteCustomer(customers[3] as string);
    const subs = stripe.seedSubscriptions(16, { customer: customers[0] as string });
    stripe.seedInvoices(15, { customer: customers[0] as string });
    const [draft] = stripe.seedInvoices(1, {
      customer: customers[1] as string,
      status: 'draft',
      subscription: null,
    });
    stripe.deleteInvoice(draft as string);
    const expired = subs.find((id) => stripe.subscription(id)?.status === 'incomplete_expired') as string;

    return {
      stop: () => stripe.stop(),
      integration: { provider: 'stripe', endpoints: { api_base_url: stripe.apiBaseUrl } },
      connection: { credentials: stripe.valid as Record<string, unknown> },
      syncs: {
        customers: { model: 'customer', count: 101 },
        subscriptions: { model: 'subscription', count: 16 },
        invoices: { model: 'invoice', count: 15 },
      },
      actions: {
        list_customers: {
          input: { limit: 5 },
          check: (data: Json) => {
            expect(data.customers).toHaveLength(5);
            // Newest first.
            expect(data.customers[0].id).toBe(customers.at(-1));
            expect(data.customers[0]).toMatchObject({ email: 'customer102@example.test', balance: 0 });
            expect(data.has_more).toBe(true);
            expect(data.next_cursor).toBe(data.customers[4].id);
          },
        },
        get_subscription: {
          input: { id: expired },
          check: (data: Json) => {
            expect(data.subscription).toMatchObject({
              id: expired,
              customer: customers[0],
              status: 'cancelled',
              raw_status: 'incomplete_expired',
              currency: 'usd',
            });
            expect(data.subscription.items[0].unit_amount).toEqual(expect.any(Number));
            expect(data.subscription.current_period_end).toEqual(expect.any(String));
          },
        },
        create_customer_portal_session: {
          input: { customer: customers[0] as string, return_url: 'https://app.acme.test/billing' },
          check: (data: Json) => {
            const made = stripe.portalSessions();
            expect(made).toHaveLength(1);
            expect(made[0]).toMatchObject({
              customer: customers[0],
              return_url: 'https://app.acme.test/billing',
            });
            expect(data.url).toBe(made[0]?.url);
            expect(data.session).toMatchObject({ id: made[0]?.id, customer: customers[0] });
          },
        },
      },
      probe: 'list_customers',
      failNext: (kind, retryAfterSeconds) => stripe.failNext(kind, retryAfterSeconds),
      refusalMessage: "No such customer: 'cus_Gone0000000000'",
    };
  },
};

export default scenario;
