import { z } from 'zod/mini';
import {
  type Adapter,
  type CredentialField,
  getAdapter,
  listAdapters,
  type ProviderManifest,
} from '../adapters';
import { authModes, categories, models } from '../adapters/types';
import { decodeCursor, encodeCursor } from './cursor';
import { ApiError } from './errors';

/**
 * The provider catalog: the adapters' manifests as API.md shapes. Identical for every
 * tenant; JSON Schemas are generated from the adapters' zod schemas once per container.
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

const jsonSchema = (schema: z.ZodMiniType): Record<string, unknown> => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  return rest;
};

const summary = (m: ProviderManifest) => ({
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

const authDetail = (m: ProviderManifest): Record<string, Record<string, unknown>> => {
  const out: Record<string, Record<string, unknown>> = {};
  const { oauth2, api_key, basic, app_install } = m.auth;
  const fields = (fs: CredentialField[]) => fs.map((f) => ({ ...f, optional: f.optional ?? false }));
  if (oauth2) {
    out.oauth2 = {
      authorization_url: oauth2.authorizationUrl,
      token_url: oauth2.tokenUrl,
      default_scopes: oauth2.defaultScopes,
      scope_separator: oauth2.scopeSeparator,
      pkce: oauth2.pkce,
      refresh_tokens: oauth2.refreshes,
      // Tokens you already hold can be brought with POST /v1/connections.
      credential_fields: fields([
        { name: 'access_token', label: 'Access token', secret: true },
        { name: 'refresh_token', label: 'Refresh token', secret: true, optional: true },
        { name: 'expires_at', label: 'Expiry (ISO-8601)', secret: false, optional: true },
      ]),
      docs_url: oauth2.docsUrl,
    };
  }
  if (api_key) out.api_key = { credential_fields: fields(api_key.fields), docs_url: api_key.docsUrl };
  if (basic) out.basic = { credential_fields: fields(basic.fields), docs_url: basic.docsUrl };
  if (app_install) {
    out.app_install = {
      install_url: app_install.installUrl,
      credential_fields: fields(app_install.fields),
      docs_url: app_install.docsUrl,
    };
  }
  return out;
};

const detail = (m: ProviderManifest) => ({
  ...summary(m),
  docs_url: m.docsUrl,
  api_base_url: m.apiBaseUrl,
  auth: authDetail(m),
  config_schema: jsonSchema(m.config),
  syncs: m.syncs.map((s) => ({
    name: s.name,
    model: s.model,
    description: s.description,
    default_frequency: s.defaultFrequency,
    incremental: s.incremental,
  })),
  actions: m.actions.map((a) => ({
    name: a.name,
    description: a.description,
    input_schema: jsonSchema(a.input),
  })),
  webhooks: m.webhooks
    ? {
        events: m.webhooks.events,
        signature: { scheme: m.webhooks.signature.scheme, header: m.webhooks.signature.header },
        docs_url: m.webhooks.docsUrl,
      }
    : null,
});

export type ProviderDetail = ReturnType<typeof detail>;

const matches = (a: Adapter, f: CatalogFilter): boolean => {
  const m = a.manifest;
  if (f.category && !m.categories.includes(f.category)) return false;
  if (f.search) {
    const needle = f.search.toLowerCase();
    const hay = [m.name, m.displayName, ...m.categories].join(' ').toLowerCase();
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
const ordered = (): Adapter[] =>
  [...listAdapters()].sort(
    (a, b) =>
      Number(b.manifest.curated) - Number(a.manifest.curated) ||
      a.manifest.name.localeCompare(b.manifest.name),
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
  const all = ordered().filter((a) => matches(a, filter));
  const slice = all.slice(offset, offset + page.limit);
  const next = offset + page.limit;
  return {
    providers: slice.map((a) => summary(a.manifest)),
    next_cursor: next < all.length ? await encodeCursor(tenantId, scope, next) : null,
  };
};

const detailCache = new Map<string, ProviderDetail>();

export const getProvider = (name: string): ProviderDetail => {
  const adapter = getAdapter(name);
  if (!adapter) {
    throw new ApiError('unknown_provider', `No provider named '${name.slice(0, 100)}'.`, {
      remediation: 'GET /v1/providers lists the providers.',
    });
  }
  let d = detailCache.get(name);
  if (!d) {
    d = detail(adapter.manifest);
    detailCache.set(name, d);
  }
  return d;
};
