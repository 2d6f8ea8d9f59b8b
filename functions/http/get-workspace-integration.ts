import { getGrant } from '../../core/tools/workspaces';
import { endpoint, tenantOf } from '../middleware';
import { grantPath } from './key-path';

/** GET /v1/workspaces/{workspace_id}/integrations/{connection_id} — one grant. */
export const handler = endpoint({ path: grantPath }, async (req) => ({
  data: await getGrant(tenantOf(req), req.path.workspace_id, req.path.connection_id),
}));
