import * as z from 'zod/mini';
import type { WebhookFunctions, WebhookRequest, WebhookVerified } from '../types';
import { type RoutingKey, routingKeys } from '../webhook-routing';
import { rawText, WebhookRefused } from '../webhook-signatures';
import { verifySvix } from '../webhook-svix';
import { domainOf } from './rest';

/**
 * Resend's webhooks, sent through Svix: `svix-signature: v1,<base64 HMAC-SHA256 of
 * "{svix-id}.{svix-timestamp}.{body}">` keyed by the endpoint's `whsec_…` signing secret (the
 * integration's webhook secret), the timestamp within 5 minutes. A retry repeats the message
 * with the same `svix-id`, which names the delivery.
 * https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests
 * https://resend.com/docs/dashboard/webhooks/event-types
 */

const envelope = z.object({ type: z.string().check(z.minLength(1)), data: z.optional(z.unknown()) });

const parseJson = (raw: string): unknown => {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
};

const verify = (req: WebhookRequest, secret: string, now: number): WebhookVerified => {
  verifySvix(req.headers, secret, req.rawBody, now);
  const event = envelope.safeParse(parseJson(rawText(req.rawBody)));
  if (!event.success) throw new WebhookRefused('not a Resend event');
  // verifySvix refused a request without one.
  return { kind: 'event', deliveryId: req.headers['svix-id'] as string, eventType: event.data.type };
};

const sender = z.object({ data: z.object({ from: z.string() }) });

/**
 * Events name no team, only the email's sender (`data.from`): its domain is what a connection
 * keeps of each of its team's domains at connect time (`domain_<n>_id`, see verify.ts). Mail
 * from Resend's shared onboarding@resend.dev routes to no connection (kept as unrouted).
 */
const route = (payload: unknown): RoutingKey[] => {
  const from = sender.safeParse(payload).data?.data.from;
  return routingKeys(['domain', from === undefined ? undefined : domainOf(from)]);
};

// No sync holds emails: every event reaches the tenant as `provider.event` only.
const apply = (): undefined => undefined;

export const webhooks: WebhookFunctions = { verify, route, apply };
