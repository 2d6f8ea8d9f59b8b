import * as z from 'zod/mini';
import { listSyncRuns } from '../../core/syncs/runs-list';
import { endpoint, tenantOf } from '../middleware';
import { pageQuery } from './page-query';

const query = z.strictObject({
  ...pageQuery,
  connection_id: z.optional(z.string().check(z.maxLength(200))),
  sync: z.optional(z.string().check(z.maxLength(64))),
  status: z.optional(z.enum(['queued', 'running', 'success', 'error'])),
});

/** GET /v1/sync-runs?connection_id=&sync=&status= — newest first. */
export const handler = endpoint({ query }, async (req) => {
  const { limit, cursor, ...filter } = req.query;
  return { data: await listSyncRuns(tenantOf(req), filter, { limit, cursor }) };
});
