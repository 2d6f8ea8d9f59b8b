import * as z from 'zod/mini';
import { parseAnswer } from '../parse';
import type { ActionContext, ActionsOf, InputOf } from '../types';
import type { manifest } from './manifest';
import { mapCustomer, mapSubscription, stripeCustomer, stripeSubscription } from './mapping';
import { authHeaders, failure, get, isoOf, listOf } from './rest';

/**
 * Stripe's tools. Objects are answered in their unified model (customer, subscription) with
 * Stripe's id, which the other tools take back; the portal session is Stripe's own.
 */

const listCustomers = async (ctx: ActionContext, input: InputOf<typeof manifest, 'list_customers'>) => {
  // https://docs.stripe.com/api/customers/list — newest first.
  const q = new URLSearchParams({ limit: String(input.limit ?? 10) });
  if (input.email !== undefined) q.set('email', input.email);
  if (input.starting_after !== undefined) q.set('starting_after', input.starting_after);
  const page = await get(ctx, '/v1/customers', q, listOf(stripeCustomer), 'GET /v1/customers');
  const customers = page.data.map(mapCustomer).map((r) => ({ id: r.id, ...r.data }));
  const last = customers.at(-1)?.id;
  return { customers, has_more: page.has_more, next_cursor: page.has_more && last ? last : null };
};

const getSubscription = async (ctx: ActionContext, input: InputOf<typeof manifest, 'get_subscription'>) => {
  // https://docs.stripe.com/api/subscriptions/retrieve
  const s = await get(
    ctx,
    `/v1/subscriptions/${encodeURIComponent(input.id)}`,
    new URLSearchParams(),
    stripeSubscription,
    'GET /v1/subscriptions/{id}',
  );
  const r = mapSubscription(s);
  return { subscription: { id: r.id, ...r.data } };
};

// https://docs.stripe.com/api/customer_portal/sessions/object
const portalSession = z.object({
  id: z.string().check(z.startsWith('bps_')),
  object: z.literal('billing_portal.session'),
  url: z.url({ protocol: /^https?$/ }),
  customer: z.string(),
  return_url: z.optional(z.nullable(z.string())),
  created: z.int(),
  livemode: z.boolean(),
});

/**
 * `POST /v1/billing_portal/sessions`, form-encoded as every Stripe write. The URL is short-lived
 * (Stripe expires an unused session after a few minutes) and single-use: hand it to the
 * customer at once. Writes are retried safely by core's Idempotency-Key.
 * https://docs.stripe.com/api/customer_portal/sessions/create
 */
const createPortalSession = async (
  ctx: ActionContext,
  input: InputOf<typeof manifest, 'create_customer_portal_session'>,
) => {
  const form = new URLSearchParams({ customer: input.customer });
  if (input.return_url !== undefined) form.set('return_url', input.return_url);
  if (input.configuration !== undefined) form.set('configuration', input.configuration);
  if (input.locale !== undefined) form.set('locale', input.locale);
  const res = await ctx.http(`${ctx.baseUrl}/v1/billing_portal/sessions`, {
    method: 'POST',
    headers: authHeaders(ctx.credentials),
    body: form,
  });
  if (res.status !== 200) throw failure(res, ctx.credentials);
  const s = parseAnswer('Stripe', portalSession, res, 'POST /v1/billing_portal/sessions');
  return {
    url: s.url,
    session: {
      id: s.id,
      customer: s.customer,
      return_url: s.return_url ?? null,
      livemode: s.livemode,
      created_at: isoOf(s.created),
    },
  };
};

export const actions: ActionsOf<typeof manifest> = {
  list_customers: listCustomers,
  get_subscription: getSubscription,
  create_customer_portal_session: createPortalSession,
};
