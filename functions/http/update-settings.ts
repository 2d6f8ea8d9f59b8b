import { settingsPatch, updateSettings } from '../../core/tenants/settings';
import { endpoint, tenantOf } from '../middleware';

/** PATCH /v1/settings — redirect URL allow-list (exact matches), default sync frequency. */
export const handler = endpoint({ body: settingsPatch }, async (req) => ({
  data: await updateSettings(tenantOf(req), req.body),
}));
