import { triggerBody, triggerSyncs } from '../../core/syncs/syncs';
import { endpoint, tenantOf } from '../middleware';

/** POST /v1/syncs/trigger — 202; a sync already queued or running answers its run. */
export const handler = endpoint({ body: triggerBody }, async (req) => ({
  status: 202,
  data: await triggerSyncs(tenantOf(req), req.body),
}));
