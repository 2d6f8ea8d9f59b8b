import * as z from 'zod/mini';
import { OUTBOUND_EVENTS } from './events';
import { subscriberUrlProblem } from './subscriber-url';

/**
 * The bodies of POST and PATCH /v1/webhook-subscriptions (API.md "Webhooks → To the tenant"),
 * apart from core/outbound/subscriptions.ts: a zod schema is built when its module loads,
 * and this one brings the address guard with it, so only the two handlers that validate a
 * subscription's URL and events import it (the reads, delete and rotate-secret do not).
 */
const subscriberUrl = z.string().check(
  z.maxLength(2048),
  z.superRefine((value, ctx) => {
    const problem = subscriberUrlProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
  }),
);
const events = z.array(z.enum(OUTBOUND_EVENTS)).check(z.minLength(1), z.maxLength(50));

export const subscriptionBody = z.strictObject({ url: subscriberUrl, events });

export const subscriptionPatch = z.strictObject({
  url: z.optional(subscriberUrl),
  events: z.optional(events),
  enabled: z.optional(z.boolean()),
});
