import { getSubscription } from '../../core/outbound/subscriptions';
import { endpoint, tenantOf } from '../middleware';
import { subscriptionPath } from './key-path';

/** GET /v1/webhook-subscriptions/{subscription_id} — without its secret. */
export const handler = endpoint({ path: subscriptionPath }, async (req) => ({
  data: await getSubscription(tenantOf(req), req.path.subscription_id),
}));
