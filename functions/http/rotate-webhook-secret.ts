import { rotateSecret } from '../../core/outbound/subscriptions';
import { endpoint, tenantOf } from '../middleware';
import { subscriptionPath } from './key-path';

/** POST /v1/webhook-subscriptions/{subscription_id}/rotate-secret — the new secret, shown this once. */
export const handler = endpoint({ path: subscriptionPath }, async (req) => ({
  data: await rotateSecret(tenantOf(req), req.path.subscription_id),
}));
