import { createBody, createConnection } from '../../core/connections/create';
import { endpoint, tenantOf } from '../middleware';

/**
 * POST /v1/connections — credentials you already hold, verified at the provider first.
 * 201 for a new connection; 200 when the same account was connected again and its
 * existing connection was refreshed.
 */
export const handler = endpoint({ body: createBody }, async (req) => {
  const { created, connection } = await createConnection(tenantOf(req), req.body);
  return { status: created ? 201 : 200, data: connection };
});
