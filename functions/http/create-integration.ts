import { createBody, createIntegration } from '../../core/integrations/integrations';
import { endpoint, tenantOf } from '../middleware';

/** POST /v1/integrations — secrets go to Secrets Manager; the answer says `has_…`. */
export const handler = endpoint({ body: createBody }, async (req) => ({
  status: 201,
  data: await createIntegration(tenantOf(req), req.body),
}));
