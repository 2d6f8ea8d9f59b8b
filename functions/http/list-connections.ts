import * as z from 'zod/mini';
import { listConnections } from '../../core/connections/list';
import { listQuery } from '../../core/connections/read';
import { endpoint, endUserOf, tenantOf } from '../middleware';
import { pageQuery } from './page-query';

const query = z.strictObject({ ...pageQuery, ...listQuery });

/**
 * GET /v1/connections?integration=&provider=&status=&end_user_id=&workspace_id= —
 * with an end-user token, only that user's connections.
 */
export const handler = endpoint({ query }, async (req) => {
  const { limit, cursor, end_user_id, ...filter } = req.query;
  const endUser = endUserOf(req, end_user_id, { required: false });
  return {
    data: await listConnections(tenantOf(req), { ...filter, end_user_id: endUser }, { limit, cursor }),
  };
});
