import { connectionDetail } from '../../core/connections/detail';
import { getConnection } from '../../core/connections/read';
import { endpoint, endUserOf, tenantOf } from '../middleware';
import { idPath } from './key-path';

/** GET /v1/connections/{id} — with its syncs and recent runs; never its credentials. */
export const handler = endpoint({ path: idPath }, async (req) => ({
  data: await connectionDetail(
    await getConnection(tenantOf(req), req.path.id, endUserOf(req, undefined, { required: false })),
  ),
}));
