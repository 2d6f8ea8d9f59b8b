import * as z from 'zod/mini';
import { listGrants } from '../../core/tools/workspaces-list';
import { endpoint, tenantOf } from '../middleware';
import { workspacePath } from './key-path';
import { pageQuery } from './page-query';

const query = z.strictObject(pageQuery);

/** GET /v1/workspaces/{workspace_id}/integrations — the workspace's grants. */
export const handler = endpoint({ path: workspacePath, query }, async (req) => ({
  data: await listGrants(tenantOf(req), req.path.workspace_id, req.query),
}));
