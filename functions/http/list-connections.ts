import * as z from 'zod/mini';
import { listConnections, listQuery } from '../../core/connection-read';
import { endpoint, tenantOf } from '../middleware';
import { pageQuery } from './page-query';

const query = z.strictObject({ ...pageQuery, ...listQuery });

/** GET /v1/connections?integration=&provider=&status=&end_user_id=&workspace_id= */
export const handler = endpoint({ query }, async (req) => {
  const { limit, cursor, ...filter } = req.query;
  return { data: await listConnections(tenantOf(req), filter, { limit, cursor }) };
});
