import type { Account, Credentials, IntegrationSettings, PlainManifest } from '../../adapters/types';
import type { IntegrationSecretValues } from '../integrations/secrets';
import type { IntegrationItem } from '../store/integrations-repo';
import { allowedEndpoint } from './endpoints';

/**
 * Where and as whom core calls a provider for an integration — one definition, shared by
 * connecting, the OAuth callback, token refreshes and syncs, so they can't disagree.
 */

/**
 * The integration's OAuth endpoint — its override (checked again against the provider's
 * domains and the operator's allow-list: core/providers/endpoints.ts), else the manifest's
 * URL; Microsoft's `{tenant}` → `common`. Throws ProviderError `unreachable` (code
 * `endpoint_not_allowed`) for an override that is not allowed (any more).
 */
export const providerUrl = (
  integration: Pick<IntegrationItem, 'endpoints'>,
  m: PlainManifest,
  field: 'authorization_url' | 'token_url',
): string => {
  const override = integration.endpoints?.[field];
  const o = m.auth.oauth2;
  const url =
    override !== undefined
      ? allowedEndpoint(m, field, override)
      : field === 'token_url'
        ? o?.tokenUrl
        : o?.authorizationUrl;
  if (url === undefined) throw new Error(`${m.name} has no OAuth2 ${field}`);
  return url.replace('{tenant}', 'common');
};

/**
 * The API base URL: the integration's `endpoints.api_base_url` (self-hosted, enterprise;
 * checked again before each use, as providerUrl), else what the connection's config implies
 * (Jira site, GitLab host: the address guard checks those at connect time), else the default.
 */
export const apiBaseUrl = (
  integration: IntegrationItem,
  adapter: Account,
  config: Record<string, unknown>,
  credentials?: Credentials,
): string => {
  const override = integration.endpoints?.api_base_url;
  if (override !== undefined) return allowedEndpoint(adapter.manifest, 'api_base_url', override);
  return (
    (credentials ? adapter.resolveBaseUrl?.(config, credentials) : undefined) ?? adapter.manifest.apiBaseUrl
  );
};

/** What an adapter may know of the integration: its OAuth client id and app (with its key). */
export const integrationSettings = (
  integration: IntegrationItem,
  secrets: IntegrationSecretValues,
): IntegrationSettings => ({
  ...(integration.oauth_client_id ? { oauthClientId: integration.oauth_client_id } : {}),
  ...(integration.app
    ? {
        app: {
          appId: integration.app.app_id,
          ...(integration.app.slug ? { slug: integration.app.slug } : {}),
          ...(secrets.app_private_key ? { privateKey: secrets.app_private_key } : {}),
        },
      }
    : {}),
});
