import * as z from 'zod/mini';
import { listIntegrations } from '../../core/integrations/list';
import { endpoint, tenantOf } from '../middleware';
import { pageQuery } from './page-query';

const query = z.strictObject(pageQuery);

/** GET /v1/integrations — with each one's connection_count. */
export const handler = endpoint({ query }, async (req) => ({
  data: await listIntegrations(tenantOf(req), req.query),
}));
