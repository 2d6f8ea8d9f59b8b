import { type JsonSchema, loadDescription, type ProviderDescription } from '../../adapters/descriptions';
import { loadModelSchema } from '../../adapters/schemas';
import type { CredentialField, ProviderManifest } from '../../adapters/types';
import { ApiError } from '../platform/errors';
import { summary } from './catalog';

/** One provider in detail. */
const authDetail = (m: Pick<ProviderManifest, 'auth'>): Record<string, Record<string, unknown>> => {
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

/**
 * Read from the provider's description, generated from its manifest at build time
 * (adapters/descriptions.ts, `npm run schemas`): plain JSON, its schemas already JSON Schema —
 * neither the manifest's zod schemas nor zod's converter are in the handler.
 */
const detail = (m: ProviderDescription, models: Map<string, JsonSchema>) => ({
  ...summary(m),
  docs_url: m.docsUrl,
  api_base_url: m.apiBaseUrl,
  auth: authDetail(m),
  config_schema: m.configSchema,
  syncs: m.syncs.map((s) => ({
    name: s.name,
    model: s.model,
    description: s.description,
    default_frequency: s.defaultFrequency,
    incremental: s.incremental,
    // The shape of its records (GET /v1/records), for the models that have one yet.
    model_schema: models.get(s.model) ?? null,
  })),
  actions: m.actions.map((a) => ({
    name: a.name,
    description: a.description,
    /** Its tool name in /v1/tools. */
    tool: `${m.name}_${a.name}`,
    writes: a.writes,
    input_schema: a.inputSchema,
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

const detailCache = new Map<string, ProviderDetail>();

export const getProvider = async (name: string): Promise<ProviderDetail> => {
  const manifest = await loadDescription(name);
  if (!manifest) {
    throw new ApiError('unknown_provider', `No provider named '${name.slice(0, 100)}'.`, {
      remediation: 'GET /v1/providers lists the providers.',
    });
  }
  let d = detailCache.get(name);
  if (!d) {
    const models = new Map<string, JsonSchema>();
    for (const model of new Set(manifest.syncs.map((s) => s.model))) {
      const schema = await loadModelSchema(model);
      if (schema) models.set(model, schema);
    }
    d = detail(manifest, models);
    detailCache.set(name, d);
  }
  return d;
};
