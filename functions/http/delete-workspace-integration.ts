import { deleteGrant } from '../../core/tools/workspaces';
import { endpoint, tenantOf } from '../middleware';
import { grantPath } from './key-path';

/** DELETE /v1/workspaces/{workspace_id}/integrations/{connection_id} — revokes the grant. */
export const handler = endpoint({ path: grantPath }, async (req) => ({
  data: await deleteGrant(tenantOf(req), req.path.workspace_id, req.path.connection_id),
}));
