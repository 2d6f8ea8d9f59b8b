import { oauthCallbackUrl, webhookBaseUrl } from '../platform/config';
import { ApiError } from '../platform/errors';
import * as repo from '../store/integrations-repo';

/** Reading integrations: no provider registry, no secrets, no connections. */
const notFound = (key: string) =>
  new ApiError('not_found', `No integration '${key.slice(0, 64)}'.`, {
    remediation: 'GET /v1/integrations lists your integrations.',
  });

export const integrationView = (i: repo.IntegrationItem) => ({
  unique_key: i.unique_key,
  provider: i.provider,
  display_name: i.display_name,
  oauth_client_id: i.oauth_client_id ?? null,
  scopes: i.scopes ?? null,
  app: i.app
    ? { app_id: i.app.app_id, slug: i.app.slug ?? null, has_private_key: i.has_app_private_key }
    : null,
  endpoints: i.endpoints ?? null,
  has_oauth_client_secret: i.has_oauth_client_secret,
  has_webhook_secret: i.has_webhook_secret,
  has_app_private_key: i.has_app_private_key,
  webhook_url: `${webhookBaseUrl()}/${i.tenant_id}/${i.unique_key}`,
  /** Register this as the redirect / callback URL of your OAuth app at the provider. */
  callback_url: oauthCallbackUrl(),
  connection_count: i.connection_count,
  created_at: i.created_at,
  updated_at: i.updated_at,
});

export const getIntegration = async (tenantId: string, key: string) => {
  const i = await repo.getIntegration(tenantId, key);
  if (!i) throw notFound(key);
  return i;
};
