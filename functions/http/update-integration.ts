import { patchBody, updateIntegration } from '../../core/integrations/integrations';
import { endpoint, tenantOf } from '../middleware';
import { keyPath } from './key-path';

/** PATCH /v1/integrations/{key} — any field but unique_key and provider; null clears one. */
export const handler = endpoint({ path: keyPath, body: patchBody }, async (req) => ({
  data: await updateIntegration(tenantOf(req), req.path.key, req.body),
}));
