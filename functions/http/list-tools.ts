import * as z from 'zod/mini';
import { listTools, toolsQuery } from '../../core/tools/tools';
import { endpoint, endUserOf, tenantOf, workspaceOf } from '../middleware';
import { pageQuery } from './page-query';

const query = z.strictObject({ ...pageQuery, ...toolsQuery });

/** GET /v1/tools?provider=&connection_id=&workspace_id= — with `workspace_id`, only the tools enabled there. */
export const handler = endpoint({ query }, async (req) => {
  const { limit, cursor, ...filter } = req.query;
  workspaceOf(req, filter.workspace_id);
  return {
    data: await listTools(tenantOf(req), filter, endUserOf(req, undefined, { required: false }), {
      limit,
      cursor,
    }),
  };
});
