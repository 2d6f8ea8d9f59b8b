import { loadAccount } from '../../adapters/accounts';
import { isProviderError } from '../../adapters/errors';
import { getIntegration } from '../integrations/read';
import { integrationSecrets } from '../integrations/secrets';
import { emitEvent } from '../outbound/emit';
import { ApiError } from '../platform/errors';
import { logger } from '../platform/log';
import { providerHttp } from '../platform/provider-http';
import { apiBaseUrl, providerUrl } from '../providers/context';
import { recordModelsIn } from '../records/models';
import * as repo from '../store/connections-repo';
import { credentialsOf } from './connections';
import { getConnection, notFound } from './read';

/**
 * DELETE /v1/connections/{id}: revoke the grant at the provider, then delete. A module of its
 * own: it runs the provider's code (its revocation), which the handlers that only describe
 * connections (connections.ts) must not load.
 */
/** The manifest of the account the revocation loaded (loadAccount keeps it): no second registry. */
const manifestOf = async (provider: string) => {
  const adapter = await loadAccount(provider);
  if (!adapter) throw new Error(`unknown provider ${provider}`);
  return adapter.manifest;
};

export const deleteConnection = async (
  tenantId: string,
  connectionId: string,
  purgeRecords: boolean,
  endUserId?: string,
) => {
  const c = await getConnection(tenantId, connectionId, endUserId);
  // The grant first: once the credentials are deleted nothing could revoke it any more.
  const revocation = await revokeAtProvider(c);
  if (!(await repo.deleteConnection(c))) {
    // The integration may be mid-deletion (no count to decrement): delete without it.
    if (!(await repo.deleteConnection(c, { countOnIntegration: false }))) throw notFound();
  }
  // Every model its records may be in: its syncs', or an import's for a CSV connection.
  const purged = purgeRecords
    ? await repo.purgeRecords(tenantId, connectionId, recordModelsIn(await manifestOf(c.provider)))
    : 0;
  await emitEvent(tenantId, 'connection.deleted', {
    connection_id: connectionId,
    integration: c.integration,
    provider: c.provider,
    end_user_id: c.end_user_id,
    ...revocation,
  });
  return { id: connectionId, deleted: true, ...revocation, records_purged: purged };
};

/**
 * Revokes the connection's grant where the provider documents a revocation endpoint. Never
 * blocks a delete: a provider that is down or refuses is `revoked: false` and the reason,
 * in the provider's words (which never carry a credential) or ours.
 */
const revokeAtProvider = async (
  c: repo.ConnectionItem,
): Promise<{ revoked: true } | { revoked: false; revoke_error: string }> => {
  const adapter = await loadAccount(c.provider);
  const name = adapter?.manifest.displayName ?? c.provider;
  if (!adapter?.revoke) return { revoked: false, revoke_error: `${name} has no revocation endpoint.` };
  try {
    const integration = await getIntegration(c.tenant_id, c.integration);
    const secrets = await integrationSecrets(integration);
    const credentials = await credentialsOf(c);
    let tokenUrl: string | undefined;
    try {
      tokenUrl = adapter.manifest.auth.oauth2
        ? providerUrl(integration, adapter.manifest, 'token_url')
        : undefined;
    } catch {
      tokenUrl = undefined; // an override no longer allowed: the adapter's default then
    }
    await adapter.revoke({
      credentials,
      ...(integration.oauth_client_id ? { clientId: integration.oauth_client_id } : {}),
      ...(secrets.oauth_client_secret ? { clientSecret: secrets.oauth_client_secret } : {}),
      ...(tokenUrl ? { tokenUrl } : {}),
      baseUrl: apiBaseUrl(integration, adapter, c.config, credentials),
      http: providerHttp,
    });
    logger.info('grant revoked', { provider: c.provider });
    return { revoked: true };
  } catch (e) {
    const revoke_error = isProviderError(e)
      ? e.kind === 'rejected'
        ? `${name} refused the revocation: ${e.providerMessage}`
        : `${name} could not be reached to revoke the grant: ${e.providerMessage}`
      : e instanceof ApiError
        ? `The grant could not be revoked: ${e.message}`
        : 'The grant could not be revoked (internal error).';
    logger.warn('grant not revoked', {
      provider: c.provider,
      error: isProviderError(e) ? e.kind : (e as Error).name,
    });
    return { revoked: false, revoke_error };
  }
};
