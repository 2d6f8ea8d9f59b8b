import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { encryptFor } from '../keys/credentials-crypto';
import { ApiError } from '../platform/errors';
import { newId } from '../platform/ids';
import { cursorFrom, scopeOf, startKeyFrom } from '../platform/paging';
import * as deliveries from '../store/webhook-deliveries-repo';
import * as repo from '../store/webhook-subscriptions-repo';
import { OUTBOUND_EVENTS } from './events';
import { subscriberUrlProblem } from './subscriber-url';
import { forgetSubscribers } from './subscribers';

/**
 * Outbound webhook subscriptions (API.md "Webhooks → To the tenant"): a URL and the
 * events it wants. The signing secret is generated here, answered once at creation, and
 * kept sealed like connection credentials (bound to tenant and subscription).
 */
export const MAX_SUBSCRIPTIONS = 20;

export const subscriptionBody = z.strictObject({
  url: z.string().check(
    z.maxLength(2048),
    z.superRefine((value, ctx) => {
      const problem = subscriberUrlProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
    }),
  ),
  events: z.array(z.enum(OUTBOUND_EVENTS)).check(z.minLength(1), z.maxLength(50)),
});

export const subscriptionView = (s: repo.SubscriptionItem) => ({
  id: s.subscription_id,
  url: s.url,
  events: s.events,
  created_at: s.created_at,
});

export const deliveryView = (d: deliveries.DeliveryItem) => ({
  event_id: d.event_id,
  event: d.event,
  attempt: d.attempt,
  status: d.status,
  response_status: d.response_status,
  duration_ms: d.duration_ms,
  error: d.error,
  attempted_at: d.attempted_at,
  next_attempt_at: d.next_attempt_at,
});

const notFound = () =>
  new ApiError('not_found', 'No such webhook subscription.', {
    remediation: 'GET /v1/webhook-subscriptions lists your subscriptions.',
  });

export const createSubscription = async (tenantId: string, body: z.infer<typeof subscriptionBody>) => {
  const existing = await repo.subscriptionRoutes(tenantId);
  if (existing.length >= MAX_SUBSCRIPTIONS) {
    throw new ApiError(
      'validation_failed',
      `At most ${MAX_SUBSCRIPTIONS} webhook subscriptions per tenant.`,
      {
        details: { issues: [{ path: 'body', message: `You have ${existing.length} already.` }] },
        remediation: 'DELETE /v1/webhook-subscriptions/{id} one you no longer use.',
      },
    );
  }
  const id = newId('whs');
  // Stripe's shape: a prefix that says what it is, then 256 random bits.
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  const item: repo.SubscriptionItem = {
    tenant_id: tenantId,
    subscription_id: id,
    url: body.url,
    events: [...new Set(body.events)],
    sealed_secret: await encryptFor(tenantId, id, secret),
    created_at: new Date().toISOString(),
  };
  await repo.putSubscription(item);
  forgetSubscribers(tenantId);
  return { ...subscriptionView(item), secret };
};

const find = async (tenantId: string, id: string) => {
  const s = await repo.getSubscription(tenantId, id);
  if (!s) throw notFound();
  return s;
};

export const getSubscription = async (tenantId: string, id: string) =>
  subscriptionView(await find(tenantId, id));

export const deleteSubscription = async (tenantId: string, id: string) => {
  if (!(await repo.deleteSubscription(tenantId, id))) throw notFound();
  forgetSubscribers(tenantId);
  return { id, deleted: true };
};

type Page = { limit: number; cursor?: string | undefined };

export const listSubscriptions = async (tenantId: string, page: Page) => {
  const scope = scopeOf('webhook-subscriptions', {});
  const r = await repo.listSubscriptions(
    tenantId,
    page.limit,
    await startKeyFrom(tenantId, scope, page.cursor),
  );
  return {
    webhook_subscriptions: r.items.map(subscriptionView),
    next_cursor: await cursorFrom(tenantId, scope, r.nextKey),
  };
};

/** A subscription's delivery attempts, newest first. */
export const listDeliveries = async (tenantId: string, id: string, page: Page) => {
  await find(tenantId, id);
  const scope = scopeOf('webhook-deliveries', { id });
  const r = await deliveries.listDeliveries(
    tenantId,
    id,
    page.limit,
    await startKeyFrom(tenantId, scope, page.cursor),
  );
  return { deliveries: r.items.map(deliveryView), next_cursor: await cursorFrom(tenantId, scope, r.nextKey) };
};
