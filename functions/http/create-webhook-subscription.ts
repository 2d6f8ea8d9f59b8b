import { subscriptionBody } from '../../core/outbound/subscription-input';
import { createSubscription } from '../../core/outbound/subscriptions';
import { endpoint, tenantOf } from '../middleware';

/** POST /v1/webhook-subscriptions — 201 with the signing `secret`, shown this once. */
export const handler = endpoint({ body: subscriptionBody }, async (req) => ({
  status: 201,
  data: await createSubscription(tenantOf(req), req.body),
}));
