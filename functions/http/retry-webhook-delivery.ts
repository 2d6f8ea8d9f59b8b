import { retryDelivery } from '../../core/outbound/subscriptions';
import { endpoint, tenantOf } from '../middleware';
import { deliveryPath } from './key-path';

/** POST /v1/webhook-subscriptions/{subscription_id}/deliveries/{delivery_id}/retry — replays a dead delivery. */
export const handler = endpoint({ path: deliveryPath }, async (req) => ({
  status: 202,
  data: await retryDelivery(tenantOf(req), req.path.subscription_id, req.path.delivery_id),
}));
