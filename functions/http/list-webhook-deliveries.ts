import * as z from 'zod/mini';
import { listDeliveries } from '../../core/outbound/subscriptions';
import { endpoint, tenantOf } from '../middleware';
import { subscriptionPath } from './key-path';
import { pageQuery } from './page-query';

const query = z.strictObject(pageQuery);

/** GET /v1/webhook-subscriptions/{subscription_id}/deliveries — every attempt, newest first. */
export const handler = endpoint({ path: subscriptionPath, query }, async (req) => ({
  data: await listDeliveries(tenantOf(req), req.path.subscription_id, req.query),
}));
