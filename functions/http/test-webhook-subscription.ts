import { sendTestEvent } from '../../core/outbound/subscriptions';
import { endpoint, tenantOf } from '../middleware';
import { subscriptionPath } from './key-path';

/** POST /v1/webhook-subscriptions/{subscription_id}/test — queues a `ping` event. */
export const handler = endpoint({ path: subscriptionPath }, async (req) => ({
  status: 202,
  data: await sendTestEvent(tenantOf(req), req.path.subscription_id),
}));
