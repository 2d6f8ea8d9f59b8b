import { getSyncRun } from '../../core/syncs/runs';
import { endpoint, tenantOf } from '../middleware';
import { idPath } from './key-path';

/** GET /v1/sync-runs/{id} */
export const handler = endpoint({ path: idPath }, async (req) => ({
  data: await getSyncRun(tenantOf(req), req.path.id),
}));
