import * as z from 'zod/mini';
import { listSubscriptions } from '../../core/outbound/subscriptions';
import { endpoint, tenantOf } from '../middleware';
import { pageQuery } from './page-query';

const query = z.strictObject(pageQuery);

/** GET /v1/webhook-subscriptions — without secrets. */
export const handler = endpoint({ query }, async (req) => ({
  data: await listSubscriptions(tenantOf(req), req.query),
}));
