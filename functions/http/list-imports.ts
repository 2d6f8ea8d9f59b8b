import * as z from 'zod/mini';
import { listImports, listQuery } from '../../core/imports/imports';
import { endpoint, tenantOf } from '../middleware';
import { pageQuery } from './page-query';

const query = z.strictObject({ ...pageQuery, ...listQuery });

/** GET /v1/imports?end_user_id=&status= — newest first. */
export const handler = endpoint({ query }, async (req) => {
  const { limit, cursor, ...filter } = req.query;
  return { data: await listImports(tenantOf(req), filter, { limit, cursor }) };
});
