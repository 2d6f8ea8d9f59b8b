import { loadManifests } from '../../adapters/manifests';
import { authModes, categories, models, type ProviderManifest } from '../../adapters/types';
import { decodeCursor, encodeCursor } from '../platform/cursor';
import { ApiError } from '../platform/errors';

/**
 * The provider catalog: the providers' manifests (the data registry, adapters/manifests.ts;
 * no provider code) as API.md shapes. Identical for every tenant. The detail of one provider lives in provider-detail.ts, so the list handler
 * doesn't bundle the JSON Schema generator and the detail handler no cursor signing.
 */

/** `capability=` accepts a capability kind, an auth mode, or a model a provider syncs. */
export const capabilityFilters = [
  'syncs',
  'actions',
  'webhooks',
  'csv_import',
  ...authModes,
  ...models,
] as const;
export type CapabilityFilter = (typeof capabilityFilters)[number];
export { categories };

export const summary = (m: ProviderManifest) => ({
  name: m.name,
  display_name: m.displayName,
  categories: m.categories,
  auth_modes: authModes.filter((mode) => m.auth[mode] !== undefined),
  capabilities: {
    syncs: m.syncs.map((s) => s.name),
    actions: m.actions.map((a) => a.name),
    webhooks: m.webhooks !== undefined,
    csv_import: m.categories.includes('file_import'),
  },
  curated: m.curated,
});

export type ProviderSummary = ReturnType<typeof summary>;

const matches = (m: ProviderManifest, f: CatalogFilter): boolean => {
  if (f.category && !m.categories.includes(f.category)) return false;
  if (f.search) {
    const needle = f.search.toLowerCase();
    // The whole catalog entry: names, categories, and what it syncs and does.
    const hay = [
      m.name,
      m.displayName,
      ...m.categories,
      ...m.syncs.flatMap((s) => [s.name, s.model]),
      ...m.actions.map((a) => `${m.name}_${a.name}`),
    ]
      .join(' ')
      .toLowerCase();
    if (!hay.includes(needle)) return false;
  }
  if (f.capability) {
    const c = f.capability;
    const ok =
      c === 'syncs'
        ? m.syncs.length > 0
        : c === 'actions'
          ? m.actions.length > 0
          : c === 'webhooks'
            ? m.webhooks !== undefined
            : c === 'csv_import'
              ? m.categories.includes('file_import')
              : (authModes as readonly string[]).includes(c)
                ? m.auth[c as keyof ProviderManifest['auth']] !== undefined
                : m.syncs.some((s) => s.model === c);
    if (!ok) return false;
  }
  return true;
};

export type CatalogFilter = {
  search?: string | undefined;
  category?: (typeof categories)[number] | undefined;
  capability?: CapabilityFilter | undefined;
};

// Curated providers first, then by name: a stable order the cursor can index into.
const ordered = async (): Promise<ProviderManifest[]> =>
  (await loadManifests()).sort(
    (a, b) => Number(b.curated) - Number(a.curated) || a.name.localeCompare(b.name),
  );

export const listProviders = async (
  tenantId: string,
  filter: CatalogFilter,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ providers: ProviderSummary[]; next_cursor: string | null }> => {
  const scope = `providers?${JSON.stringify([filter.search ?? '', filter.category ?? '', filter.capability ?? ''])}`;
  let offset = 0;
  if (page.cursor !== undefined) {
    const d = await decodeCursor(tenantId, scope, page.cursor);
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ApiError('invalid_cursor', 'The cursor is not valid for this list.');
    }
    offset = d;
  }
  const all = (await ordered()).filter((m) => matches(m, filter));
  const slice = all.slice(offset, offset + page.limit);
  const next = offset + page.limit;
  return {
    providers: slice.map(summary),
    next_cursor: next < all.length ? await encodeCursor(tenantId, scope, next) : null,
  };
};
