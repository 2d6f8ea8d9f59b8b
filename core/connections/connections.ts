import type { ConnectionKeys, Credentials, SyncDeclaration, VerifiedAccount } from '../../adapters/types';
import { decryptFor, encryptFor } from '../keys/credentials-crypto';
import { emitEvent } from '../outbound/emit';
import { ApiError } from '../platform/errors';
import { newId } from '../platform/ids';
import * as repo from '../store/connections-repo';
import type { IntegrationItem } from '../store/integrations-repo';
import { ensureSyncsOf } from '../syncs/syncs';
import { keysOf } from '../webhooks/routing-keys';
import { connectionView } from './read';
import { announceStatus } from './status';

/**
 * Connections: a customer's account at a provider, with encrypted credentials. Created
 * only after the provider confirmed the credentials (and said whose they are); one per
 * integration, end user and provider account — connecting the same account again
 * refreshes that connection instead of making a second one. Here: storing confirmed
 * credentials, sealed, and unsealing them for the flows that call the provider. Creating one
 * from credentials (which runs the provider's code) is create.ts, on its own so that no other
 * connection handler has the implementation registry in its module graph; PATCH is update.ts,
 * which needs none of the sealing or events imported here.
 */

/** What a connection keeps, sealed: the credentials and any extra provider secrets. */
export type StoredCredentials = Credentials & { extra?: Record<string, string> };

/**
 * Stores credentials the provider has confirmed: a new connection, or — same
 * integration, end user and provider account — the existing one refreshed. Shared by
 * POST /v1/connections and the OAuth / app-install callback.
 */
export const storeVerifiedConnection = async (args: {
  tenantId: string;
  integration: IntegrationItem;
  endUserId: string;
  workspaceId?: string;
  name?: string;
  metadata?: Record<string, unknown>;
  config: Record<string, unknown>;
  credentials: StoredCredentials;
  verified: VerifiedAccount;
  /** Facts from the token response (Slack team, Entra tenant), kept with the verified ones. */
  tokenMetadata?: Record<string, string>;
  /** The provider's connection keys (its account's), when it has webhook code: the connection's route items. */
  connectionKeys?: ConnectionKeys | undefined;
  /** The provider's syncs (its adapter's manifest): each gets its state, enabled. */
  syncs: readonly SyncDeclaration[];
}): Promise<{ created: boolean; connection: ReturnType<typeof connectionView> }> => {
  const { tenantId, integration, credentials, verified } = args;
  const now = new Date().toISOString();
  const credentialsMeta: repo.ConnectionItem['credentials_meta'] = {
    type: credentials.type,
    ...(verified.scopes ? { scopes: verified.scopes } : {}),
    ...(credentials.type === 'oauth2' && credentials.expires_at
      ? { expires_at: credentials.expires_at }
      : {}),
  };
  const providerMetadata = { ...args.tokenMetadata, ...verified.metadata };
  // After a re-connect changed the account or its metadata, the webhook routes follow.
  const connectionKeys = args.connectionKeys;
  const reroute = async (c: repo.ConnectionItem) => {
    const keys = connectionKeys ? keysOf(connectionKeys, c) : [];
    if (keys.length || c.routing_keys?.length) await repo.setRoutingKeys(c, keys);
  };
  const hasProviderMetadata = Object.keys(providerMetadata).length > 0;

  const refresh = async (connectionId: string) => {
    const existing = await repo.getConnection(tenantId, connectionId);
    if (!existing) return undefined;
    let sealedCredentials = credentials;
    // Google sends a refresh token only on first consent: a re-authorization without
    // one must not lose the one we hold.
    if (credentials.type === 'oauth2' && !credentials.refresh_token) {
      const old = existing.sealed
        ? await decryptFor<StoredCredentials>(tenantId, connectionId, existing.sealed)
        : undefined;
      if (old?.type === 'oauth2' && old.refresh_token)
        sealedCredentials = { ...credentials, refresh_token: old.refresh_token };
    }
    const fields: Parameters<typeof repo.updateConnection>[2] = {
      status: 'active',
      provider_account: verified.account,
      credentials_meta: credentialsMeta,
      sealed: await encryptFor(tenantId, connectionId, sealedCredentials),
      ...(args.name ? { name: args.name } : {}),
      ...(args.metadata ? { metadata: args.metadata } : {}),
      ...(hasProviderMetadata ? { provider_metadata: providerMetadata } : {}),
      ...(existing.pending_auth ? { pending_auth: null } : {}),
      updated_at: now,
    };
    // From the status read, so a recovery (expired, error, disconnected or pending_auth →
    // active) is announced once; if another flow changed it meanwhile, stored all the same.
    const updated = await repo.updateConnection(tenantId, connectionId, fields, { status: existing.status });
    if (!updated) {
      const stored = await repo.updateConnection(tenantId, connectionId, fields);
      if (stored) await reroute(stored);
      return stored;
    }
    await reroute(updated);
    if (existing.status !== 'active') {
      await announceStatus(existing, existing.status, 'active', 'Re-authorised with new credentials.');
    }
    return updated;
  };

  const existingId = await repo.findByAccount(
    tenantId,
    integration.unique_key,
    args.endUserId,
    verified.account.id,
  );
  if (existingId) {
    const updated = await refresh(existingId);
    if (updated) return { created: false, connection: connectionView(updated) };
  }

  const connectionId = newId('conn');
  const item: repo.ConnectionItem = {
    tenant_id: tenantId,
    connection_id: connectionId,
    integration: integration.unique_key,
    provider: integration.provider,
    name: args.name ?? verified.account.name,
    status: 'active',
    sync_status: 'healthy',
    end_user_id: args.endUserId,
    ...(args.workspaceId ? { workspace_id: args.workspaceId } : {}),
    provider_account: verified.account,
    credentials_meta: credentialsMeta,
    sealed: await encryptFor(tenantId, connectionId, credentials),
    metadata: args.metadata ?? {},
    config: args.config,
    ...(hasProviderMetadata ? { provider_metadata: providerMetadata } : {}),
    created_at: now,
    updated_at: now,
  };
  const routingKeys = connectionKeys ? keysOf(connectionKeys, item) : [];
  if (routingKeys.length) item.routing_keys = routingKeys;
  const outcome = await repo.insertConnection(item);
  if (outcome === 'integration_gone') {
    throw new ApiError(
      'integration_not_configured',
      `The integration '${integration.unique_key}' was deleted.`,
    );
  }
  if (outcome === 'account_taken') {
    // Lost a race with a concurrent connect of the same account: refresh the winner.
    const winner = await repo.findByAccount(
      tenantId,
      integration.unique_key,
      args.endUserId,
      verified.account.id,
    );
    const updated = winner && (await refresh(winner));
    if (!updated) throw new ApiError('conflict', 'A concurrent request changed this connection; retry.');
    return { created: false, connection: connectionView(updated) };
  }
  // Every sync of the provider, enabled at its default frequency; the first run soon.
  await ensureSyncsOf(item, args.syncs);
  // Both ways of connecting (POST /v1/connections, the OAuth / app-install callback) end here.
  const view = connectionView(item);
  await emitEvent(tenantId, 'connection.created', { connection_id: view.id, connection: view });
  return { created: true, connection: view };
};

/** Decrypted credentials, for the flows that call the provider. Never returned by the API. */
export const credentialsOf = (c: repo.ConnectionItem) =>
  decryptFor<Credentials>(c.tenant_id, c.connection_id, c.sealed);

export { connectionView, getConnection, listQuery } from './read';
