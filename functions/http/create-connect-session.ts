import { createConnectSession, sessionBody } from '../../core/connections/connect-session';
import { endpoint, endUserOf, tenantOf, workspaceOf } from '../middleware';

/** POST /v1/connect/sessions — an `auth_url` with a single-use, ten-minute state. */
export const handler = endpoint({ body: sessionBody }, async (req) => {
  const endUserId = endUserOf(req, req.body.end_user_id) as string;
  // A token bound to workspaces connects for one of them only.
  workspaceOf(req, req.body.workspace_id);
  return {
    status: 201,
    data: await createConnectSession(tenantOf(req), endUserId, req.body, {
      byEndUser: req.auth?.kind === 'end_user',
    }),
  };
});
