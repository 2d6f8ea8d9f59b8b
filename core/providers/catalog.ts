import type { CatalogEntry } from '../../adapters/catalog';
import { authModes, categories, models } from '../../adapters/types';
import { decodeCursor, encodeCursor } from '../platform/cursor';
import { ApiError } from '../platform/errors';

/**
 * The provider catalog: what every provider's manifest says of it (generated at build time into
 * adapters/catalog.generated.json, adapters/catalog.ts; no provider code, no manifest) as
 * API.md shapes. Identical for every tenant. The detail of one provider lives in detail.ts,
 * so the list handler loads no description and the detail handler no cursor signing.
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

export const summary = (m: CatalogEntry) => ({
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

const matches = (m: CatalogEntry, f: CatalogFilter): boolean => {
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
                ? m.auth[c as keyof CatalogEntry['auth']] !== undefined
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

/**
 * Every provider's catalog entry, from the one file generated from the manifests at build time
 * (adapters/catalog.ts, `npm run schemas`): listing loads no manifest and no provider's chunk.
 */
const loadCatalog = async (): Promise<CatalogEntry[]> =>
  (await import('../../adapters/catalog.generated.json', { with: { type: 'json' } }))
    .default as CatalogEntry[];

// Curated providers first, then by name: a stable order the cursor can index into.
const ordered = async (): Promise<CatalogEntry[]> =>
  [...(await loadCatalog())].sort(
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
