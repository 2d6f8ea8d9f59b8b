import * as z from 'zod/mini';
import { listRecords, recordsQuery } from '../../core/records/records';
import { endpoint, tenantOf } from '../middleware';
import { pageQuery } from './page-query';

const query = z.strictObject({ ...pageQuery, ...recordsQuery });

/** GET /v1/records?connection_id=&model=&modified_after=&cursor=&limit= — the change feed. */
export const handler = endpoint({ query }, async (req) => ({
  data: await listRecords(tenantOf(req), req.query),
}));
