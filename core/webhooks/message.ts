import * as z from 'zod/mini';

/**
 * One message on the webhook queue: a provider event the receiver verified, for the
 * processor to dedupe, route and apply. The producer (core/webhooks/receive.ts) and the
 * consumer (functions/workers/webhook-processor.ts) share this schema; zod only, so the
 * worker table (functions/workers.ts) can name it without pulling runtime code into lib/.
 */
export const webhookEventMessage = z.object({
  tenant_id: z.string().check(z.minLength(1)),
  integration_key: z.string().check(z.minLength(1)),
  /** The integration's id: an event for a deleted and re-created key is not the new one's. */
  integration_id: z.string().check(z.minLength(1)),
  /** The provider's delivery id: the processor applies each once. */
  delivery_id: z.string().check(z.minLength(1)),
  /** The integration's provider: the processor's metrics are dimensioned by it. */
  provider: z.optional(z.string()),
  event_type: z.string(),
  received_at: z.string(),
  /** The body exactly as the provider sent it: its text, or base64 (`body_encoding`). */
  body: z.string(),
  /** The proof covered the sender, not the body (WebhookVerified.hintOnly): the body triggers syncs only. */
  hint_only: z.optional(z.literal(true)),
  /** `base64` when the body is not valid UTF-8: as text it would not survive the trip. */
  body_encoding: z.optional(z.literal('base64')),
});

export type QueuedWebhookEvent = z.infer<typeof webhookEventMessage>;
