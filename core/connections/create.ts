import * as z from 'zod/mini';
import { loadAccount } from '../../adapters/accounts';
import type { Credentials, ProviderManifest, VerifiedAccount } from '../../adapters/types';
import { getIntegration } from '../integrations/read';
import { integrationSecrets } from '../integrations/secrets';
import { ApiError } from '../platform/errors';
import { providerHttp } from '../platform/provider-http';
import { apiBaseUrl, integrationSettings } from '../providers/context';
import { checkConfigHosts } from '../providers/endpoints';
import { toApiError } from '../providers/errors';
import { storeVerifiedConnection } from './connections';
import { jsonObject, validateConfig } from './fields';
import { type connectionView, externalId } from './read';

/**
 * POST /v1/connections: credentials the user already holds, verified at the provider (its
 * code, loaded through adapters/index.ts) before the connection is stored. On its own so
 * that no other connection handler has the implementation registry in its module graph.
 */
const secretValue = z.string().check(z.minLength(1), z.maxLength(8192));

export const credentialsSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('api_key'), api_key: secretValue, app_key: z.optional(secretValue) }),
  z.strictObject({
    type: z.literal('basic'),
    username: z.string().check(z.minLength(1), z.maxLength(512)),
    password: secretValue,
  }),
  z.strictObject({
    type: z.literal('oauth2'),
    access_token: secretValue,
    refresh_token: z.optional(secretValue),
    expires_at: z.optional(z.iso.datetime({ offset: true })),
  }),
  z.strictObject({
    type: z.literal('app_install'),
    installation_id: z.string().check(z.regex(/^\d{1,20}$/, { message: 'A numeric installation id.' })),
  }),
]);

export const createBody = z.strictObject({
  integration: z.string().check(z.minLength(1), z.maxLength(64)),
  end_user_id: externalId,
  workspace_id: z.optional(externalId),
  name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
  credentials: credentialsSchema,
  config: z.optional(jsonObject(8192)),
  metadata: z.optional(jsonObject(8192)),
});

const credentialModes: Record<Credentials['type'], keyof ProviderManifest['auth']> = {
  api_key: 'api_key',
  basic: 'basic',
  oauth2: 'oauth2',
  app_install: 'app_install',
};

type CreateInput = z.infer<typeof createBody>;

export const createConnection = async (
  tenantId: string,
  input: CreateInput,
): Promise<{ created: boolean; connection: ReturnType<typeof connectionView> }> => {
  const integration = await getIntegration(tenantId, input.integration).catch((e: unknown) => {
    if (e instanceof ApiError && e.code === 'not_found') {
      throw new ApiError('integration_not_configured', `No integration '${input.integration}'.`, {
        remediation: 'Create it first with POST /v1/integrations.',
      });
    }
    throw e;
  });
  const adapter = await loadAccount(integration.provider);
  if (!adapter) throw new Error(`unknown provider ${integration.provider}`);
  const m = adapter.manifest;
  const credentials = input.credentials as Credentials;
  if (!m.auth[credentialModes[credentials.type]]) {
    const accepted = Object.keys(m.auth).join(', ');
    throw new ApiError(
      'validation_failed',
      `${m.displayName} does not accept ${credentials.type} credentials.`,
      {
        details: { issues: [{ path: 'body.credentials.type', message: `Accepted: ${accepted}.` }] },
      },
    );
  }
  const config = validateConfig(m, input.config ?? {});
  await checkConfigHosts(m, config);
  const secrets = credentials.type === 'app_install' ? await integrationSecrets(integration) : {};

  let verified: VerifiedAccount;
  try {
    verified = await adapter.verifyCredentials({
      credentials,
      config,
      baseUrl: apiBaseUrl(integration, adapter, config, credentials),
      integration: integrationSettings(integration, secrets),
      http: providerHttp,
    });
  } catch (e) {
    throw toApiError(e, m.displayName);
  }

  return storeVerifiedConnection({
    tenantId,
    integration,
    endUserId: input.end_user_id,
    ...(input.workspace_id ? { workspaceId: input.workspace_id } : {}),
    ...(input.name ? { name: input.name } : {}),
    ...(input.metadata ? { metadata: input.metadata } : {}),
    config,
    credentials,
    verified,
    connectionKeys: adapter.connectionKeys,
    syncs: m.syncs,
  });
};
