import * as z from 'zod/mini';
import { ApiError } from '../platform/errors';
import { isAcceptableUrl, URL_RULE } from '../platform/urls';
import { getTenant, putSettings, type TenantSettings } from '../store/tenants-repo';
import { FREQUENCY_PATTERN, frequencySeconds } from '../syncs/frequency';

export const DEFAULT_SETTINGS: TenantSettings = { redirect_url_allowlist: [], default_sync_frequency: '1h' };

export const settingsPatch = z.strictObject({
  redirect_url_allowlist: z.optional(
    z
      .array(
        z
          .string()
          .check(
            z.maxLength(2048),
            z.refine(isAcceptableUrl, { message: `Each redirect URL must be ${URL_RULE}.` }),
          ),
      )
      .check(z.maxLength(50)),
  ),
  default_sync_frequency: z.optional(
    z.string().check(
      z.regex(FREQUENCY_PATTERN, { message: 'A frequency is a number and a unit: 15m, 1h, 1d.' }),
      z.refine((f) => frequencySeconds(f) !== undefined, { message: 'A frequency is from 1m to 30d.' }),
    ),
  ),
});

export type SettingsPatch = z.infer<typeof settingsPatch>;

export const getSettings = async (tenantId: string): Promise<TenantSettings> => {
  const tenant = await getTenant(tenantId);
  if (!tenant) throw new ApiError('not_found', 'No such tenant.');
  return { ...DEFAULT_SETTINGS, ...tenant.settings };
};

export const updateSettings = async (tenantId: string, patch: SettingsPatch): Promise<TenantSettings> => {
  const current = await getSettings(tenantId);
  const next: TenantSettings = {
    // Exact strings: redirect URLs are matched exactly (RFC 9700), so no normalising here.
    redirect_url_allowlist: patch.redirect_url_allowlist
      ? [...new Set(patch.redirect_url_allowlist)]
      : current.redirect_url_allowlist,
    default_sync_frequency: patch.default_sync_frequency ?? current.default_sync_frequency,
  };
  await putSettings(tenantId, next);
  return next;
};
