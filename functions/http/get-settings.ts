import { getSettings } from '../../core/tenants/settings';
import { endpoint, tenantOf } from '../middleware';

/** GET /v1/settings */
export const handler = endpoint({}, async (req) => ({ data: await getSettings(tenantOf(req)) }));
