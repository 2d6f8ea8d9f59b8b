import { patchBody, updateConnection } from '../../core/connections/update';
import { endpoint, tenantOf } from '../middleware';
import { idPath } from './key-path';

/** PATCH /v1/connections/{id} — name, metadata (merged), config (validated by the provider). */
export const handler = endpoint({ path: idPath, body: patchBody }, async (req) => ({
  data: await updateConnection(tenantOf(req), req.path.id, req.body),
}));
