import { getConnectionSync } from '../../core/syncs/syncs';
import { endpoint, tenantOf } from '../middleware';
import { syncPath } from './key-path';

/** GET /v1/connections/{id}/syncs/{name} */
export const handler = endpoint({ path: syncPath }, async (req) => ({
  data: await getConnectionSync(tenantOf(req), req.path.id, req.path.name),
}));
