import { deleteIntegration } from '../../core/integrations/delete';
import { endpoint, tenantOf } from '../middleware';
import { keyPath } from './key-path';

/** DELETE /v1/integrations/{key} — with its connections, their credentials and its secret. */
export const handler = endpoint({ path: keyPath }, async (req) => {
  await deleteIntegration(tenantOf(req), req.path.key);
  return { data: { unique_key: req.path.key, deleted: true } };
});
