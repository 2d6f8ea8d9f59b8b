import * as z from 'zod/mini';
import { loadManifest } from '../../adapters/manifests';
import { ApiError } from '../platform/errors';
import { checkConfigHosts } from '../providers/endpoints';
import * as repo from '../store/connections-repo';
import { jsonObject, validateConfig } from './connections';
import { connectionView, getConnection, notFound } from './read';

/**
 * PATCH /v1/connections/{id}. A module of its own because a new config is validated by the
 * manifest's zod schema: the manifests registry (adapters/manifests.ts) is then in this
 * handler's module graph only. Every other connection handler reads descriptions, and the
 * manifests' dynamic imports in their graphs still changed how esbuild split their shared
 * chunks (0.24 KB more per provider, `npm run bench -- handlers`).
 */
export const patchBody = z.strictObject({
  name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
  // Merged key by key; a null value removes the key (as Stripe's metadata).
  metadata: z.optional(jsonObject(8192)),
  // Replaced whole, and validated by the provider's manifest.
  config: z.optional(jsonObject(8192)),
});

export const updateConnection = async (
  tenantId: string,
  connectionId: string,
  patch: z.infer<typeof patchBody>,
) => {
  const c = await getConnection(tenantId, connectionId);
  // The manifest itself, not its description: the config is validated by its zod schema. Only
  // a patch that sets the config loads it.
  const m = patch.config === undefined ? undefined : await loadManifest(c.provider);
  const fields: Parameters<typeof repo.updateConnection>[2] = { updated_at: new Date().toISOString() };
  if (patch.name !== undefined) fields.name = patch.name;
  if (patch.config !== undefined && m) {
    fields.config = validateConfig(m, patch.config);
    await checkConfigHosts(m, fields.config);
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
