import { createConnectSession, sessionBody } from '../../core/connections/connect';
import { endpoint, endUserOf, tenantOf } from '../middleware';

/** POST /v1/connect/sessions — an `auth_url` with a single-use, ten-minute state. */
export const handler = endpoint({ body: sessionBody }, async (req) => ({
  status: 201,
  data: await createConnectSession(tenantOf(req), endUserOf(req, req.body.end_user_id) as string, req.body),
}));
