import { deleteSubscription } from '../../core/outbound/subscriptions';
import { endpoint, tenantOf } from '../middleware';
import { subscriptionPath } from './key-path';

/** DELETE /v1/webhook-subscriptions/{subscription_id} — deliveries under way are dropped. */
export const handler = endpoint({ path: subscriptionPath }, async (req) => ({
  data: await deleteSubscription(tenantOf(req), req.path.subscription_id),
}));
