import { subscriptionPatch } from '../../core/outbound/subscription-input';
import { updateSubscription } from '../../core/outbound/subscriptions';
import { endpoint, tenantOf } from '../middleware';
import { subscriptionPath } from './key-path';

/** PATCH /v1/webhook-subscriptions/{subscription_id} — url, events, enabled. */
export const handler = endpoint({ path: subscriptionPath, body: subscriptionPatch }, async (req) => ({
  data: await updateSubscription(tenantOf(req), req.path.subscription_id, req.body),
}));
