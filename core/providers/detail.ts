import { loadManifest } from '../../adapters/manifests';
import { modelSchemas } from '../../adapters/models';
import type { CredentialField, ProviderManifest } from '../../adapters/types';
import { ApiError } from '../platform/errors';
import { jsonSchema } from '../platform/json-schema';
import { summary } from './catalog';

/** One provider in detail; JSON Schemas generated from its zod schemas once per container. */
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
    // The shape of its records (GET /v1/records), for the models that have one yet.
    model_schema:
      s.model in modelSchemas ? jsonSchema(modelSchemas[s.model as keyof typeof modelSchemas]) : null,
  })),
  actions: m.actions.map((a) => ({
    name: a.name,
    description: a.description,
    /** Its tool name in /v1/tools. */
    tool: `${m.name}_${a.name}`,
    writes: a.writes,
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

const detailCache = new Map<string, ProviderDetail>();

export const getProvider = async (name: string): Promise<ProviderDetail> => {
  const manifest = await loadManifest(name);
  if (!manifest) {
    throw new ApiError('unknown_provider', `No provider named '${name.slice(0, 100)}'.`, {
      remediation: 'GET /v1/providers lists the providers.',
    });
  }
  let d = detailCache.get(name);
  if (!d) {
    d = detail(manifest);
    detailCache.set(name, d);
  }
  return d;
};
