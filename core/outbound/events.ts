import * as z from 'zod/mini';

/** The events a tenant can subscribe to (API.md "Webhooks → To the tenant"). */
export const OUTBOUND_EVENTS = [
  'sync.completed',
  'sync.failed',
  'connection.created',
  'connection.expired',
  'connection.status_changed',
  'connection.deleted',
  'connection.recovered',
  'connection.sync_status_changed',
  'records.changed',
  'provider.event',
  'import.completed',
  'import.failed',
] as const;

export type OutboundEventType = (typeof OUTBOUND_EVENTS)[number];

/** What is delivered: the events above, and `ping` (POST /v1/webhook-subscriptions/{id}/test). */
export const DELIVERED_EVENTS = [...OUTBOUND_EVENTS, 'ping'] as const;
export type DeliveredEventType = (typeof DELIVERED_EVENTS)[number];

/**
 * What a subscriber receives, as the body of the POST. No tenant id: the subscription
 * already belongs to one tenant, and the subscriber knows which.
 */
export type OutboundEvent = {
  id: string;
  type: DeliveredEventType;
  created_at: string;
  data: Record<string, unknown>;
};

/**
 * One message on the outbound queue: one delivery of one event to one subscription,
 * making attempt `attempt`. Retries are new messages carrying the first attempt's time
 * (the 24 h window runs from it) and, for waits longer than SQS's 15-minute delay,
 * `due_at` — the message is re-sent with the longest delay until then.
 */
export const outboundMessage = z.object({
  tenant_id: z.string().check(z.minLength(1)),
  subscription_id: z.string().check(z.minLength(1)),
  event: z.object({
    id: z.string().check(z.minLength(1)),
    type: z.enum(DELIVERED_EVENTS),
    created_at: z.string(),
    data: z.record(z.string(), z.unknown()),
  }),
  attempt: z.int().check(z.minimum(1)),
  first_attempt_at: z.optional(z.iso.datetime()),
  due_at: z.optional(z.iso.datetime()),
});

export type OutboundMessage = z.infer<typeof outboundMessage>;
