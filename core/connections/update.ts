import * as z from 'zod/mini';
import { loadConfigSchema } from '../../adapters/configs';
import { loadDescription } from '../../adapters/descriptions';
import { ApiError } from '../platform/errors';
import { checkConfigHosts } from '../providers/endpoints';
import * as repo from '../store/connections-repo';
import { jsonObject, validateConfig } from './fields';
import { connectionView, getConnection, notFound } from './read';

/*
 * PATCH /v1/connections/{id}: name, metadata (merged) and config (replaced, validated). On its
 * own, importing neither connections.ts (credential sealing, outbound events, sync states:
 * their module-level code stays in a bundle that imports them) nor the manifests registry
 * (a manifest builds every action's schema when loaded): a config is checked against the
 * provider's config schema (adapters/configs.ts) and its hosts against its description.
 */

export const patchBody = z.strictObject({
  name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
  // Merged key by key; a null value removes the key (as Stripe's metadata).
  metadata: z.optional(jsonObject(8192)),
  // Replaced whole, and validated by the provider's config schema.
  config: z.optional(jsonObject(8192)),
});

export const updateConnection = async (
  tenantId: string,
  connectionId: string,
  patch: z.infer<typeof patchBody>,
) => {
  const c = await getConnection(tenantId, connectionId);
  // Only a patch that sets the config loads the provider: its config schema (zod, to validate)
  // and its description (name and hosts, JSON), not its manifest, which builds every action's
  // schema when loaded.
  const [d, schema] =
    patch.config === undefined
      ? []
      : await Promise.all([loadDescription(c.provider), loadConfigSchema(c.provider)]);
  const fields: Parameters<typeof repo.updateConnection>[2] = { updated_at: new Date().toISOString() };
  if (patch.name !== undefined) fields.name = patch.name;
  if (patch.config !== undefined && d && schema) {
    fields.config = validateConfig({ displayName: d.displayName, config: schema }, patch.config);
    await checkConfigHosts(d, fields.config);
  }
  if (patch.metadata !== undefined) {
    const merged: Record<string, unknown> = { ...c.metadata };
    for (const [k, v] of Object.entries(patch.metadata)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    if (Object.keys(merged).length > 50 || JSON.stringify(merged).length > 8192) {
      throw new ApiError('validation_failed', 'Metadata would exceed 50 keys or 8192 bytes.', {
        details: { issues: [{ path: 'body.metadata', message: 'At most 50 keys and 8192 bytes in all.' }] },
      });
    }
    fields.metadata = merged;
  }
  const updated = await repo.updateConnection(tenantId, connectionId, fields);
  if (!updated) throw notFound();
  return connectionView(updated);
};
