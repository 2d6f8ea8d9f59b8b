import { syncPatch, updateConnectionSync } from '../../core/syncs/syncs';
import { endpoint, tenantOf } from '../middleware';
import { syncPath } from './key-path';

/** PATCH /v1/connections/{id}/syncs/{name} — frequency, paused. */
export const handler = endpoint({ path: syncPath, body: syncPatch }, async (req) => ({
  data: await updateConnectionSync(tenantOf(req), req.path.id, req.path.name, req.body),
}));
