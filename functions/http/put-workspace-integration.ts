import { grantBody, putGrant } from '../../core/tools/put-grant';
import { endpoint, tenantOf } from '../middleware';
import { grantPath } from './key-path';

/** PUT /v1/workspaces/{workspace_id}/integrations/{connection_id} — creates or replaces the grant. */
export const handler = endpoint({ path: grantPath, body: grantBody }, async (req) => ({
  data: await putGrant(tenantOf(req), req.path.workspace_id, req.path.connection_id, req.body),
}));
