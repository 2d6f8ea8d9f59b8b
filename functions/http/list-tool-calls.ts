import * as z from 'zod/mini';
import { listToolCalls, toolCallsQuery } from '../../core/tools/audit';
import { endpoint, tenantOf } from '../middleware';
import { pageQuery } from './page-query';

const query = z.strictObject({ ...pageQuery, ...toolCallsQuery });

/**
 * GET /v1/tool-calls?workspace_id=&connection_id=&end_user_id=&tool= — the audit trail of tool
 * calls (REST and MCP) and proxied writes, newest first, kept 90 days.
 */
export const handler = endpoint({ query }, async (req) => {
  const { limit, cursor, ...filter } = req.query;
  return { data: await listToolCalls(tenantOf(req), filter, { limit, cursor }) };
});
