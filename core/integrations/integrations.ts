import * as z from 'zod/mini';
import { loadDescription } from '../../adapters/descriptions';
import { ApiError } from '../platform/errors';
import { newId } from '../platform/ids';
import { isAcceptableUrl, URL_RULE } from '../platform/urls';
import { endpointIssues } from '../providers/endpoints';
import * as repo from '../store/integrations-repo';
import { getIntegration, integrationView } from './read';
import {
  createIntegrationSecret,
  deleteIntegrationSecret,
  type IntegrationSecretValues,
  putIntegrationSecret,
  readIntegrationSecret,
  secretNameFor,
} from './secrets';

/**
 * A tenant's configuration of a provider. Secrets go to Secrets Manager and never come
 * back; responses say `has_…`. Reading lives in integration-read.ts, so the read
 * handlers bundle neither the provider registry nor the connection code. Every change is validated against the provider's
 * manifest (no OAuth client for an API-key-only provider, no app for one without app
 * installs), so a wrong integration fails here, not at the first connection.
 */
const url = z
  .string()
  .check(z.maxLength(2048), z.refine(isAcceptableUrl, { message: `Must be ${URL_RULE}.` }));
const secret = z.string().check(z.minLength(1), z.maxLength(16_384));
export const UNIQUE_KEY = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const endpoints = z.strictObject({
  api_base_url: z.optional(url),
  authorization_url: z.optional(url),
  token_url: z.optional(url),
});
const app = z.strictObject({
  app_id: z.string().check(z.regex(/^[\w-]{1,64}$/)),
  slug: z.optional(z.string().check(z.regex(/^[\w.-]{1,100}$/))),
  private_key: z.optional(
    secret.check(z.regex(/-----BEGIN [A-Z ]*PRIVATE KEY-----/, { message: 'Must be a PEM private key.' })),
  ),
});
const fields = {
  display_name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  oauth_client_id: z.string().check(z.minLength(1), z.maxLength(512)),
  oauth_client_secret: secret,
  scopes: z.array(z.string().check(z.minLength(1), z.maxLength(200))).check(z.maxLength(100)),
  webhook_secret: secret,
  app,
  endpoints,
};

export const createBody = z.strictObject({
  unique_key: z.string().check(
    z.regex(UNIQUE_KEY, {
      message: 'Lowercase letters, digits, - and _, 1 to 64, starting with a letter or digit.',
    }),
  ),
  provider: z.string().check(z.minLength(1), z.maxLength(100)),
  display_name: z.optional(fields.display_name),
  oauth_client_id: z.optional(fields.oauth_client_id),
  oauth_client_secret: z.optional(fields.oauth_client_secret),
  scopes: z.optional(fields.scopes),
  webhook_secret: z.optional(fields.webhook_secret),
  app: z.optional(fields.app),
  endpoints: z.optional(fields.endpoints),
});

// null clears a field (a secret, the app, the endpoints); absent leaves it as it is.
export const patchBody = z.strictObject({
  display_name: z.optional(fields.display_name),
  oauth_client_id: z.optional(z.nullable(fields.oauth_client_id)),
  oauth_client_secret: z.optional(z.nullable(fields.oauth_client_secret)),
  scopes: z.optional(z.nullable(fields.scopes)),
  webhook_secret: z.optional(z.nullable(fields.webhook_secret)),
  app: z.optional(z.nullable(fields.app)),
  endpoints: z.optional(z.nullable(fields.endpoints)),
});

export type CreateIntegration = z.infer<typeof createBody>;
export type PatchIntegration = z.infer<typeof patchBody>;

export const unknownProvider = (name: string) =>
  new ApiError('unknown_provider', `No provider named '${name.slice(0, 100)}'.`, {
    remediation: 'GET /v1/providers lists the providers.',
  });

type Shape = Omit<
  repo.IntegrationItem,
  'has_oauth_client_secret' | 'has_webhook_secret' | 'has_app_private_key'
>;

/** What the provider's manifest allows, as `details.issues` for a 422. */
const checkAgainstProvider = async (
  provider: string,
  i: Partial<Shape>,
  secrets: IntegrationSecretValues,
) => {
  const m = await loadDescription(provider);
  if (!m) throw unknownProvider(provider);
  const issues: { path: string; message: string }[] = [];
  if (m.categories.includes('file_import')) {
    // Nothing to configure: files arrive through POST /v1/imports, which makes the connections.
    issues.push({
      path: 'body.provider',
      message: `${m.displayName} needs no integration: use POST /v1/imports.`,
    });
  }
  const oauth =
    i.oauth_client_id !== undefined || secrets.oauth_client_secret !== undefined || i.scopes !== undefined;
  if (oauth && !m.auth.oauth2) {
    issues.push({ path: 'body.oauth_client_id', message: `${m.displayName} has no OAuth2 flow.` });
  }
  if (i.app && !m.auth.app_install) {
    issues.push({ path: 'body.app', message: `${m.displayName} has no app installs.` });
  }
  if (secrets.webhook_secret !== undefined && !m.webhooks) {
    issues.push({ path: 'body.webhook_secret', message: `${m.displayName} sends no webhooks.` });
  }
  if ((i.endpoints?.authorization_url || i.endpoints?.token_url) && !m.auth.oauth2) {
    issues.push({ path: 'body.endpoints', message: `${m.displayName} has no OAuth2 endpoints to override.` });
  }
  // Only to the provider's own domains or the operator's allow-list (core/providers/endpoints.ts).
  issues.push(...endpointIssues(m, i.endpoints));
  if (issues.length) {
    throw new ApiError('validation_failed', 'The integration does not fit the provider.', {
      details: { issues },
    });
  }
};

const secretsOf = (b: {
  oauth_client_secret?: string | null | undefined;
  webhook_secret?: string | null | undefined;
  app?: { private_key?: string | undefined } | null | undefined;
}): IntegrationSecretValues => ({
  ...(b.oauth_client_secret ? { oauth_client_secret: b.oauth_client_secret } : {}),
  ...(b.webhook_secret ? { webhook_secret: b.webhook_secret } : {}),
  ...(b.app?.private_key ? { app_private_key: b.app.private_key } : {}),
});

const flags = (s: IntegrationSecretValues) => ({
  has_oauth_client_secret: s.oauth_client_secret !== undefined,
  has_webhook_secret: s.webhook_secret !== undefined,
  has_app_private_key: s.app_private_key !== undefined,
});

export const createIntegration = async (tenantId: string, body: CreateIntegration) => {
  const manifest = await loadDescription(body.provider);
  if (!manifest) throw unknownProvider(body.provider);
  const now = new Date().toISOString();
  const integrationId = newId('int');
  const secrets = secretsOf(body);
  const shape: Shape = {
    tenant_id: tenantId,
    integration_id: integrationId,
    unique_key: body.unique_key,
    provider: body.provider,
    display_name: body.display_name ?? manifest.displayName,
    ...(body.oauth_client_id ? { oauth_client_id: body.oauth_client_id } : {}),
    ...(body.scopes ? { scopes: body.scopes } : {}),
    ...(body.app
      ? { app: { app_id: body.app.app_id, ...(body.app.slug ? { slug: body.app.slug } : {}) } }
      : {}),
    ...(body.endpoints && Object.keys(body.endpoints).length ? { endpoints: body.endpoints } : {}),
    connection_count: 0,
    // Its connections get webhook route items from the first (core/webhooks/routes.ts).
    routes_indexed: true,
    created_at: now,
    updated_at: now,
  };
  await checkAgainstProvider(body.provider, shape, secrets);
  if (await repo.getIntegration(tenantId, body.unique_key)) throw conflict(body.unique_key);
  // Secret first, item second: a failure in between leaves at most an orphan secret,
  // which we delete, never an item pointing at a secret that doesn't exist.
  const hasSecrets = Object.keys(secrets).length > 0;
  const secretName = hasSecrets ? secretNameFor(tenantId, body.unique_key, integrationId) : undefined;
  const secretVersion = secretName ? await createIntegrationSecret(secretName, secrets) : undefined;
  const item: repo.IntegrationItem = {
    ...shape,
    ...flags(secrets),
    ...(secretName ? { secret_name: secretName } : {}),
    ...(secretVersion ? { secret_version: secretVersion } : {}),
  };
  let inserted = false;
  try {
    inserted = await repo.insertIntegration(item);
  } finally {
    if (!inserted && secretName) await deleteIntegrationSecret(secretName, { force: true });
  }
  if (!inserted) throw conflict(body.unique_key);
  return integrationView(item);
};

const conflict = (key: string) =>
  new ApiError('conflict', `An integration '${key}' exists already.`, {
    remediation: 'Choose another unique_key, or PATCH the existing integration.',
  });

export const updateIntegration = async (tenantId: string, key: string, patch: PatchIntegration) => {
  const current = await getIntegration(tenantId, key);
  const oldSecrets = current.secret_name ? await readIntegrationSecret(current.secret_name) : {};
  const secrets: IntegrationSecretValues = { ...oldSecrets };
  if (patch.oauth_client_secret !== undefined) {
    if (patch.oauth_client_secret === null) delete secrets.oauth_client_secret;
    else secrets.oauth_client_secret = patch.oauth_client_secret;
  }
  if (patch.webhook_secret !== undefined) {
    if (patch.webhook_secret === null) delete secrets.webhook_secret;
    else secrets.webhook_secret = patch.webhook_secret;
  }
  if (patch.app === null) delete secrets.app_private_key;
  else if (patch.app?.private_key) secrets.app_private_key = patch.app.private_key;

  const {
    has_oauth_client_secret: _a,
    has_webhook_secret: _b,
    has_app_private_key: _c,
    secret_name: _d,
    secret_version: _e,
    ...base
  } = current;
  const next: Shape = { ...base, updated_at: new Date().toISOString() };
  if (patch.display_name !== undefined) next.display_name = patch.display_name;
  const apply = <K extends 'oauth_client_id' | 'scopes' | 'endpoints'>(
    k: K,
    v: Shape[K] | null | undefined,
  ) => {
    if (v === null) delete next[k];
    else if (v !== undefined) next[k] = v;
  };
  apply('oauth_client_id', patch.oauth_client_id);
  apply('scopes', patch.scopes);
  apply('endpoints', patch.endpoints);
  if (patch.app === null) delete next.app;
  else if (patch.app)
    next.app = { app_id: patch.app.app_id, ...(patch.app.slug ? { slug: patch.app.slug } : {}) };
  await checkAgainstProvider(current.provider, next, {
    ...(patch.oauth_client_secret ? { oauth_client_secret: patch.oauth_client_secret } : {}),
    ...(patch.webhook_secret ? { webhook_secret: patch.webhook_secret } : {}),
  });

  const secretsChanged = JSON.stringify(secrets) !== JSON.stringify(oldSecrets);
  let secretName = current.secret_name;
  let secretVersion = current.secret_version;
  if (secretsChanged) {
    if (secretName) secretVersion = await putIntegrationSecret(secretName, secrets);
    else {
      secretName = secretNameFor(tenantId, key, current.integration_id);
      secretVersion = await createIntegrationSecret(secretName, secrets);
    }
  }
  const item: repo.IntegrationItem = {
    ...next,
    ...flags(secrets),
    ...(secretName ? { secret_name: secretName } : {}),
    ...(secretVersion ? { secret_version: secretVersion } : {}),
  };
  if (!(await repo.replaceIntegration(item, current.updated_at))) {
    throw new ApiError('conflict', 'The integration changed while this update ran.', {
      remediation: 'Read it again and retry.',
    });
  }
  return integrationView({ ...item, connection_count: current.connection_count });
};
