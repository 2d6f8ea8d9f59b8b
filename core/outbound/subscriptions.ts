import { randomBytes } from 'node:crypto';
import type * as z from 'zod/mini';
import { encryptFor } from '../keys/credentials-crypto';
import { ApiError } from '../platform/errors';
import { newId } from '../platform/ids';
import { readPage, scopeOf } from '../platform/paging';
import * as deliveries from '../store/webhook-deliveries-repo';
import * as repo from '../store/webhook-subscriptions-repo';
import type { OutboundMessage } from './events';
import { sendOutboundOne } from './queue';
import { forgetSubscribers } from './subscribers';
import type { subscriptionBody, subscriptionPatch } from './subscription-input';

/**
 * Outbound webhook subscriptions (API.md "Webhooks → To the tenant"): a URL and the
 * events it wants. The signing secret is generated here, answered once at creation, and
 * kept sealed like connection credentials (bound to tenant and subscription).
 */
export const MAX_SUBSCRIPTIONS = 20;

/** A rotated-out secret keeps signing (beside the new one) this long. */
export const ROTATION_OVERLAP_MS = 24 * 3600_000;

export const subscriptionView = (s: repo.SubscriptionItem) => ({
  id: s.subscription_id,
  url: s.url,
  events: s.events,
  enabled: s.enabled !== false,
  previous_secret_expires_at:
    s.previous_secret_expires_at && Date.parse(s.previous_secret_expires_at) > Date.now()
      ? s.previous_secret_expires_at
      : null,
  created_at: s.created_at,
  updated_at: s.updated_at ?? s.created_at,
});

/**
 * Standard Webhooks' key format: `whsec_` and the base64 of 256 random bits (the
 * `standardwebhooks` verifiers decode the part after the prefix as base64).
 */
const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

export const deliveryView = (d: deliveries.DeliveryItem) => ({
  // One event is one delivery to a subscription, made in one or more attempts.
  delivery_id: d.event_id,
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
  const secret = newSecret();
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
  const { items, next_cursor } = await readPage(
    tenantId,
    scopeOf('webhook-subscriptions', {}),
    page,
    (limit, start) => repo.listSubscriptions(tenantId, limit, start),
  );
  return { webhook_subscriptions: items.map(subscriptionView), next_cursor };
};

/** A subscription's delivery attempts, newest first. */
export const listDeliveries = async (tenantId: string, id: string, page: Page) => {
  await find(tenantId, id);
  const { items, next_cursor } = await readPage(
    tenantId,
    scopeOf('webhook-deliveries', { id }),
    page,
    (limit, start) => deliveries.listDeliveries(tenantId, id, limit, start),
  );
  return { deliveries: items.map(deliveryView), next_cursor };
};

/** PATCH /v1/webhook-subscriptions/{id}: url, events, enabled. */
export const updateSubscription = async (
  tenantId: string,
  id: string,
  patch: z.infer<typeof subscriptionPatch>,
) => {
  if (patch.url === undefined && patch.events === undefined && patch.enabled === undefined) {
    throw new ApiError('validation_failed', 'Nothing to change.', {
      details: { issues: [{ path: 'body', message: 'Give url, events or enabled.' }] },
    });
  }
  const updated = await repo.updateSubscription(tenantId, id, {
    ...(patch.url !== undefined ? { url: patch.url } : {}),
    ...(patch.events !== undefined ? { events: [...new Set(patch.events)] } : {}),
    // Stored only when disabled: absent means enabled.
    ...(patch.enabled !== undefined ? { enabled: patch.enabled ? undefined : false } : {}),
    updated_at: new Date().toISOString(),
  });
  if (!updated) throw notFound();
  forgetSubscribers(tenantId);
  return subscriptionView(updated);
};

/**
 * POST /v1/webhook-subscriptions/{id}/rotate-secret: a new secret, answered this once. The
 * old one keeps signing beside it for 24 h (every delivery carries both signatures), so the
 * subscriber can switch without missing an event.
 */
export const rotateSecret = async (tenantId: string, id: string) => {
  const current = await find(tenantId, id);
  const secret = newSecret();
  const previousExpiresAt = new Date(Date.now() + ROTATION_OVERLAP_MS).toISOString();
  const updated = await repo.updateSubscription(
    tenantId,
    id,
    {
      sealed_secret: await encryptFor(tenantId, id, secret),
      previous_sealed_secret: current.sealed_secret,
      previous_secret_expires_at: previousExpiresAt,
      updated_at: new Date().toISOString(),
    },
    { ifSealed: current.sealed_secret },
  );
  if (!updated) {
    throw new ApiError('conflict', 'The secret was rotated by another request meanwhile.', {
      remediation: 'Rotate again if you do not hold the newest secret.',
    });
  }
  return { ...subscriptionView(updated), secret };
};

const queueOne = async (message: OutboundMessage) => {
  await sendOutboundOne(message, 0);
};

/** POST /v1/webhook-subscriptions/{id}/test: a `ping` event, delivered like any other. */
export const sendTestEvent = async (tenantId: string, id: string) => {
  const sub = await find(tenantId, id);
  if (sub.enabled === false) {
    throw new ApiError('conflict', 'The subscription is disabled.', {
      remediation: 'PATCH it with {"enabled": true} first.',
    });
  }
  const event = {
    id: newId('evt'),
    type: 'ping' as const,
    created_at: new Date().toISOString(),
    data: { subscription_id: id, message: 'Test event from POST /v1/webhook-subscriptions/{id}/test.' },
  };
  await queueOne({ tenant_id: tenantId, subscription_id: id, event, attempt: 1 });
  return { event_id: event.id, delivery_id: event.id, type: event.type, status: 'queued' as const };
};

/**
 * POST /v1/webhook-subscriptions/{id}/deliveries/{delivery_id}/retry: replays a delivery that
 * ended `dead` (24 h of failures) or `failed` (refused destination) as a new delivery of the
 * same event — same id, attempts counted from 1, a new 24 h window.
 */
export const retryDelivery = async (tenantId: string, id: string, deliveryId: string) => {
  const sub = await find(tenantId, id);
  const dead = await deliveries.getDeadLetter(tenantId, id, deliveryId);
  if (!dead) {
    throw new ApiError('not_found', 'No dead or failed delivery with this id.', {
      remediation: 'GET /v1/webhook-subscriptions/{id}/deliveries lists deliveries and their status.',
    });
  }
  if (sub.enabled === false) {
    throw new ApiError('conflict', 'The subscription is disabled.', {
      remediation: 'PATCH it with {"enabled": true} first.',
    });
  }
  if (!(await deliveries.takeDeadLetter(tenantId, id, deliveryId))) {
    throw new ApiError('conflict', 'This delivery is being retried already.');
  }
  try {
    await queueOne({
      tenant_id: tenantId,
      subscription_id: id,
      event: JSON.parse(dead.event) as OutboundMessage['event'],
      attempt: 1,
    });
  } catch (e) {
    // Not queued: keep it replayable.
    await deliveries.putDeadLetter(dead).catch(() => undefined);
    throw e;
  }
  return { delivery_id: deliveryId, event_id: deliveryId, status: 'queued' as const };
};
