import * as z from 'zod/mini';
import { authModes, categories } from '../../../adapters/types';
import { described, jsonObject, named, page } from '../contract';

const summaryFields = {
  name: z.string(),
  display_name: z.string(),
  categories: z.array(z.enum(categories)),
  auth_modes: z.array(z.enum(authModes)),
  capabilities: z.strictObject({
    syncs: z.array(z.string()),
    actions: z.array(z.string()),
    webhooks: z.boolean(),
    csv_import: z.boolean(),
  }),
  curated: z.boolean(),
};

export const providerSummary = named('ProviderSummary', z.strictObject(summaryFields));
export const providerList = named('ProviderList', page('providers', providerSummary));

const credentialField = z.strictObject({
  name: z.string(),
  label: z.string(),
  secret: described(z.boolean(), 'Encrypted at rest and never returned.'),
  optional: z.boolean(),
  help: z.optional(
    described(z.string(), 'Where to find it at the provider (the connect page shows it under the field).'),
  ),
});
const fieldsMode = z.strictObject({ credential_fields: z.array(credentialField), docs_url: z.string() });

export const providerDetail = named(
  'ProviderDetail',
  z.strictObject({
    ...summaryFields,
    docs_url: z.string(),
    api_base_url: z.string(),
    auth: described(
      z.strictObject({
        oauth2: z.optional(
          z.strictObject({
            authorization_url: z.string(),
            token_url: z.string(),
            default_scopes: z.array(z.string()),
            scope_separator: z.enum([' ', ',']),
            pkce: z.boolean(),
            refresh_tokens: z.boolean(),
            credential_fields: z.array(credentialField),
            docs_url: z.string(),
          }),
        ),
        api_key: z.optional(fieldsMode),
        basic: z.optional(fieldsMode),
        app_install: z.optional(
          z.strictObject({
            install_url: z.string(),
            credential_fields: z.array(credentialField),
            docs_url: z.string(),
          }),
        ),
      }),
      'Per auth mode: endpoints, scopes, and the credential fields POST /v1/connections takes.',
    ),
    config_schema: described(jsonObject(), "JSON Schema of a connection's `config`."),
    syncs: z.array(
      z.strictObject({
        name: z.string(),
        model: z.string(),
        description: z.string(),
        default_frequency: z.string(),
        incremental: z.boolean(),
        model_schema: described(z.nullable(jsonObject()), 'JSON Schema of its records.'),
      }),
    ),
    actions: z.array(
      z.strictObject({
        name: z.string(),
        description: z.string(),
        tool: described(z.string(), 'Its name in /v1/tools.'),
        writes: z.boolean(),
        input_schema: jsonObject(),
      }),
    ),
    webhooks: z.nullable(
      z.strictObject({
        events: z.array(z.string()),
        signature: z.strictObject({ scheme: z.string(), header: z.string() }),
        docs_url: z.string(),
      }),
    ),
  }),
);
