import type { Adapter, Credentials, IntegrationSettings } from '../../adapters/types';
import type { IntegrationSecretValues } from '../integrations/secrets';
import type { IntegrationItem } from '../store/integrations-repo';

/**
 * Where and as whom core calls a provider for an integration — one definition, shared by
 * connecting, the OAuth callback, token refreshes and syncs, so they can't disagree.
 */

/** The integration's override, else the manifest's URL; Microsoft's `{tenant}` → `common`. */
export const providerUrl = (override: string | undefined, manifestUrl: string): string =>
  (override ?? manifestUrl).replace('{tenant}', 'common');

/**
 * The API base URL: the integration's `endpoints.api_base_url` (self-hosted, enterprise),
 * else what the connection's config implies (Jira site, GitLab host), else the default.
 */
export const apiBaseUrl = (
  integration: IntegrationItem,
  adapter: Adapter,
  config: Record<string, unknown>,
  credentials?: Credentials,
): string =>
  integration.endpoints?.api_base_url ??
  (credentials ? adapter.resolveBaseUrl?.(config, credentials) : undefined) ??
  adapter.manifest.apiBaseUrl;

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
