import { getIntegration, integrationView } from '../../core/integrations/read';
import { endpoint, tenantOf } from '../middleware';
import { keyPath } from './key-path';

/** GET /v1/integrations/{key} */
export const handler = endpoint({ path: keyPath }, async (req) => ({
  data: integrationView(await getIntegration(tenantOf(req), req.path.key)),
}));
