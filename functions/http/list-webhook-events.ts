import * as z from 'zod/mini';
import { listWebhookEvents } from '../../core/webhooks/event-log';
import { endpoint, tenantOf } from '../middleware';
import { keyPath } from './key-path';
import { pageQuery } from './page-query';

const query = z.strictObject({ ...pageQuery, status: z.optional(z.enum(['unrouted', 'failed'])) });

/** GET /v1/integrations/{key}/webhook-events?status= — provider events that could not be used, newest first. */
export const handler = endpoint({ path: keyPath, query }, async (req) => {
  const { limit, cursor, status } = req.query;
  return { data: await listWebhookEvents(tenantOf(req), req.path.key, status, { limit, cursor }) };
});
