import * as z from 'zod/mini';
import type { WebhookFunctions, WebhookRequest, WebhookVerified } from '../types';
import { type RoutingKey, routingKeys } from '../webhook-routing';
import { rawText, verifyStripeStyle, WebhookRefused } from '../webhook-signatures';
import { mapObject, syncOfObject } from './mapping';
import { deletes } from './syncs';
import { ENDPOINT_OWNER } from './webhook-keys';

/**
 * Stripe's webhooks: `Stripe-Signature: t=<unix>,v1=<hex>` — HMAC-SHA256 of `{t}.{raw body}`
 * keyed by the endpoint's signing secret (`whsec_…`, the integration's webhook secret), `t`
 * within 300 s (Stripe's libraries' default tolerance); while a secret is rolled each delivery
 * carries a `v1` for each. The body is an Event; a retry re-sends the same event, so its id
 * (`evt_…`) names the delivery.
 * https://docs.stripe.com/webhooks#verify-events
 * https://docs.stripe.com/api/events/object
 */

const event = z.object({
  id: z.string().check(z.startsWith('evt_')),
  object: z.literal('event'),
  type: z.string().check(z.minLength(1)),
  account: z.optional(z.string()),
  data: z.object({ object: z.looseObject({ id: z.optional(z.string()), object: z.optional(z.string()) }) }),
});

const parseJson = (raw: string): unknown => {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
};

const verify = (req: WebhookRequest, secret: string, now: number): WebhookVerified => {
  verifyStripeStyle(req.headers['stripe-signature'], secret, req.rawBody, now, 300);
  const e = event.safeParse(parseJson(rawText(req.rawBody)));
  if (!e.success) throw new WebhookRefused('not a Stripe event');
  return { kind: 'event', deliveryId: e.data.id, eventType: e.data.type };
};

const routed = z.object({ account: z.optional(z.string()) });

/** The connected account an event names; none: the endpoint owner's own (ENDPOINT_OWNER, webhook-keys.ts). */
const route = (payload: unknown): RoutingKey[] => {
  const p = routed.safeParse(payload);
  if (!p.success) return [];
  return routingKeys(['account', p.data.account ?? ENDPOINT_OWNER]);
};

/**
 * Customers, subscriptions and invoices arrive whole (the event's `data.object`): mapped as the
 * syncs map them and upserted at once; `customer.deleted` and `invoice.deleted` delete the
 * record (`customer.subscription.deleted` is a cancellation: the subscription is upserted,
 * `cancelled`). An object the mapping can't read has its sync run instead. A connected account
 * that removed the platform (`account.application.deauthorized`) disconnects its connection.
 * https://docs.stripe.com/api/events/types
 */
const apply: WebhookFunctions['apply'] = (payload, eventType) => {
  const p = event.safeParse(payload);
  if (!p.success) return undefined;
  if (eventType === 'account.application.deauthorized' && p.data.account)
    return {
      kind: 'disconnect',
      reason: 'The Stripe account removed the platform (account.application.deauthorized).',
    };
  const obj = p.data.data.object;
  const sync = syncOfObject(obj.object);
  if (!sync || !obj.id) return undefined;
  if (deletes(eventType)) return { kind: 'records', sync, records: [], deletedIds: [obj.id] };
  try {
    return { kind: 'records', sync, records: [mapObject(sync, obj)], deletedIds: [] };
  } catch {
    return { kind: 'sync', syncs: [sync] };
  }
};

export const webhooks: WebhookFunctions = { verify, route, apply };
