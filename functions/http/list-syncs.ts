import { listConnectionSyncs } from '../../core/syncs/syncs';
import { endpoint, tenantOf } from '../middleware';
import { idPath } from './key-path';

/** GET /v1/connections/{id}/syncs */
export const handler = endpoint({ path: idPath }, async (req) => ({
  data: await listConnectionSyncs(tenantOf(req), req.path.id),
}));
