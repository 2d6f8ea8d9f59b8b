import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { getTenant } from '../core/store/tenants-repo';
import { createKey, createTenant, keyExists } from '../core/tenants/tenants';

/**
 * The development tenant of `npm start`, kept in `.local/dev-tenant.json` (local data
 * only, mode 0600) so its key keeps working across restarts. DEV_SECRET_KEY, when
 * set, is installed as a key of that tenant (once).
 */
export const ensureDevTenant = async (
  file: string,
  devKey?: string,
): Promise<{ tenantId: string; key: string }> => {
  let saved: { tenant_id: string; secret: string } | undefined;
  if (existsSync(file))
    saved = JSON.parse(readFileSync(file, 'utf8')) as { tenant_id: string; secret: string };
  // A test tenant, unless DEV_SECRET_KEY is a live key: keys share their tenant's mode.
  const mode = devKey?.startsWith('sk_live_') ? 'live' : 'test';
  let tenantId = saved?.tenant_id;
  if (!tenantId || (await getTenant(tenantId))?.mode !== mode) {
    tenantId = (await createTenant('development', { mode })).tenant_id;
    saved = undefined;
  }
  let secret = saved?.secret;
  if (devKey) {
    if (!(await keyExists(devKey))) await createKey(tenantId, { secret: devKey });
    secret = devKey;
  } else if (!secret || !(await keyExists(secret))) {
    secret = (await createKey(tenantId, { mode })).secret;
  }
  writeFileSync(file, JSON.stringify({ tenant_id: tenantId, secret }), { mode: 0o600 });
  return { tenantId, key: secret };
};
