import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { customer, invoice, subscription } from '../models';
import type { SyncRecord } from '../types';
import { expandable, idOf, isoOf, isoOrNull } from './rest';

/**
 * Stripe's customers, subscriptions and invoices, parsed as the API reference describes them,
 * mapped to adapters/models.ts. Amounts stay integers in the currency's minor unit and
 * currencies lower case, as Stripe sends them. Record ids are Stripe's own (`cus_…`, `sub_…`,
 * `in_…`): prefixed by type and unique across accounts, and what the tools take back.
 *
 * Objects come from lists and from events (webhooks and the Events API), which render them in
 * the API version of the account or endpoint: both shapes of what the 2025-03-31 ("basil")
 * version moved are read — `current_period_end` from the subscription or its items, the
 * invoice's subscription from `subscription` or `parent.subscription_details`.
 * https://docs.stripe.com/changelog/basil/2025-03-31/deprecate-subscription-current-period-start-and-end
 * https://docs.stripe.com/changelog/basil/2025-03-31/adds-new-parent-field-to-invoicing-objects
 */

const nullableString = z.optional(z.nullable(z.string()));

// https://docs.stripe.com/api/customers/object
export const stripeCustomer = z.object({
  id: z.string().check(z.startsWith('cus_')),
  object: z.literal('customer'),
  name: nullableString,
  email: nullableString,
  currency: nullableString,
  balance: z.optional(z.nullable(z.int())),
  delinquent: z.optional(z.nullable(z.boolean())),
  livemode: z.optional(z.boolean()),
  created: z.int(),
});

// https://docs.stripe.com/api/subscription_items/object
const subscriptionItem = z.object({
  id: z.string(),
  quantity: z.optional(z.nullable(z.int())),
  current_period_end: z.optional(z.nullable(z.int())),
  price: z.object({
    id: z.string(),
    product: z.optional(z.nullable(expandable)),
    unit_amount: z.optional(z.nullable(z.int())),
    recurring: z.optional(z.nullable(z.object({ interval: z.string() }))),
  }),
});

// https://docs.stripe.com/api/subscriptions/object
export const stripeSubscription = z.object({
  id: z.string().check(z.startsWith('sub_')),
  object: z.literal('subscription'),
  customer: expandable,
  status: z.string(),
  currency: z.string(),
  items: z.object({ data: z.array(subscriptionItem), has_more: z.optional(z.boolean()) }),
  cancel_at_period_end: z.optional(z.nullable(z.boolean())),
  current_period_end: z.optional(z.nullable(z.int())),
  canceled_at: z.optional(z.nullable(z.int())),
  ended_at: z.optional(z.nullable(z.int())),
  created: z.int(),
});

// https://docs.stripe.com/api/invoices/object
export const stripeInvoice = z.object({
  // Drafts of a future invoice (`invoice.upcoming` events) have no id: not records.
  id: z.string().check(z.startsWith('in_')),
  object: z.literal('invoice'),
  customer: expandable,
  subscription: z.optional(z.nullable(expandable)),
  parent: z.optional(
    z.nullable(
      z.object({
        subscription_details: z.optional(
          z.nullable(z.object({ subscription: z.optional(z.nullable(expandable)) })),
        ),
      }),
    ),
  ),
  number: nullableString,
  status: z.optional(z.nullable(z.string())),
  amount_due: z.int(),
  amount_paid: z.int(),
  amount_remaining: z.int(),
  currency: z.string(),
  hosted_invoice_url: nullableString,
  due_date: z.optional(z.nullable(z.int())),
  status_transitions: z.optional(z.nullable(z.object({ paid_at: z.optional(z.nullable(z.int())) }))),
  created: z.int(),
});

export type StripeCustomer = z.infer<typeof stripeCustomer>;
export type StripeSubscription = z.infer<typeof stripeSubscription>;
export type StripeInvoice = z.infer<typeof stripeInvoice>;

/** A mapped object the model refuses is Stripe's answer gone wrong, not the caller's. */
const valid = <S extends z.ZodMiniType>(schema: S, data: unknown, what: string): z.infer<S> => {
  const r = schema.safeParse(data);
  if (!r.success)
    throw new ProviderError('unreachable', `Stripe answered a ${what} that fits no ${what} record.`);
  return r.data;
};

/** The Dashboard page of an object; test-mode objects live under /test. */
const dashboard = (livemode: boolean | undefined, path: string): string =>
  `https://dashboard.stripe.com${livemode === false ? '/test' : ''}/${path}`;

export const mapCustomer = (c: StripeCustomer): SyncRecord => ({
  id: c.id,
  data: valid(
    customer,
    {
      name: c.name ?? null,
      email: c.email ?? null,
      currency: c.currency ? c.currency.toLowerCase() : null,
      balance: c.balance ?? 0,
      delinquent: c.delinquent ?? false,
      url: dashboard(c.livemode, `customers/${c.id}`),
      created_at: isoOf(c.created),
    },
    'customer',
  ),
});

/**
 * Stripe's subscription statuses to the model's: `canceled` is `cancelled`, and so is
 * `incomplete_expired` (the first payment never came within 23 hours, and the subscription
 * ended without ever starting). The rest keep their name; `raw_status` keeps Stripe's.
 * https://docs.stripe.com/billing/subscriptions/overview#subscription-statuses
 */
const subscriptionStatuses: Record<string, z.infer<typeof subscription>['status']> = {
  trialing: 'trialing',
  active: 'active',
  past_due: 'past_due',
  unpaid: 'unpaid',
  paused: 'paused',
  canceled: 'cancelled',
  incomplete: 'incomplete',
  incomplete_expired: 'cancelled',
};

export const subscriptionStatus = (raw: string): z.infer<typeof subscription>['status'] => {
  const s = subscriptionStatuses[raw];
  if (!s) throw new ProviderError('unreachable', `Stripe answered an unknown subscription status: ${raw}.`);
  return s;
};

/** Before basil on the subscription; since, on each item (the latest of them ends the period). */
const periodEnd = (s: StripeSubscription): number | null => {
  if (typeof s.current_period_end === 'number') return s.current_period_end;
  const ends = s.items.data
    .map((i) => i.current_period_end)
    .filter((e): e is number => typeof e === 'number');
  return ends.length ? Math.max(...ends) : null;
};

export const mapSubscription = (s: StripeSubscription): SyncRecord => ({
  id: s.id,
  data: valid(
    subscription,
    {
      customer: idOf(s.customer),
      status: subscriptionStatus(s.status),
      raw_status: s.status,
      items: s.items.data.map((i) => ({
        price: i.price.id,
        product: i.price.product ? idOf(i.price.product) : null,
        quantity: i.quantity ?? null,
        unit_amount: i.price.unit_amount ?? null,
        interval: i.price.recurring?.interval ?? null,
      })),
      currency: s.currency.toLowerCase(),
      cancel_at_period_end: s.cancel_at_period_end ?? false,
      current_period_end: isoOrNull(periodEnd(s)),
      // `ended_at` once it is over; `canceled_at` alone may be a cancellation still to come.
      cancelled_at: isoOrNull(s.canceled_at ?? s.ended_at),
      created_at: isoOf(s.created),
    },
    'subscription',
  ),
});

/** Invoices Stripe answers without a status are drafts of API versions before 2019. */
const invoiceStatuses = ['draft', 'open', 'paid', 'uncollectible', 'void'] as const;

export const mapInvoice = (i: StripeInvoice): SyncRecord => {
  const sub = i.subscription ?? i.parent?.subscription_details?.subscription;
  const status = i.status ?? 'draft';
  if (!(invoiceStatuses as readonly string[]).includes(status))
    throw new ProviderError('unreachable', `Stripe answered an unknown invoice status: ${status}.`);
  return {
    id: i.id,
    data: valid(
      invoice,
      {
        customer: idOf(i.customer),
        subscription: sub ? idOf(sub) : null,
        number: i.number ?? null,
        status,
        amount_due: i.amount_due,
        amount_paid: i.amount_paid,
        amount_remaining: i.amount_remaining,
        currency: i.currency.toLowerCase(),
        url: i.hosted_invoice_url ?? null,
        due_date: isoOrNull(i.due_date),
        paid_at: isoOrNull(i.status_transitions?.paid_at),
        created_at: isoOf(i.created),
      },
      'invoice',
    ),
  };
};

export type SyncName = 'customers' | 'subscriptions' | 'invoices';

/** Each sync's Stripe object (`object` in its JSON). */
export const objectOf: Record<SyncName, string> = {
  customers: 'customer',
  subscriptions: 'subscription',
  invoices: 'invoice',
};

const parsed = <S extends z.ZodMiniType>(schema: S, o: unknown, what: string): z.infer<S> => {
  const r = schema.safeParse(o);
  if (!r.success) throw new ProviderError('unreachable', `Stripe answered a ${what} of an unexpected shape.`);
  return r.data;
};

/** One Stripe object of a sync, parsed and mapped to its record. */
export const mapObject = (name: SyncName, o: unknown): SyncRecord => {
  switch (name) {
    case 'customers':
      return mapCustomer(parsed(stripeCustomer, o, 'customer'));
    case 'subscriptions':
      return mapSubscription(parsed(stripeSubscription, o, 'subscription'));
    case 'invoices':
      return mapInvoice(parsed(stripeInvoice, o, 'invoice'));
  }
};

/** The sync an event's object belongs to, by its `object`. */
export const syncOfObject = (object: unknown): SyncName | undefined =>
  (Object.keys(objectOf) as SyncName[]).find((n) => objectOf[n] === object);
