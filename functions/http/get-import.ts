import { getImport } from '../../core/imports/imports';
import { endpoint, tenantOf } from '../middleware';
import { idPath } from './key-path';

/** GET /v1/imports/{id} — status, progress, the first 100 row errors. */
export const handler = endpoint({ path: idPath }, async (req) => ({
  data: await getImport(tenantOf(req), req.path.id),
}));
