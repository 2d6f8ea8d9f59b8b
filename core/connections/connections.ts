import * as z from 'zod/mini';
import { loadConfigSchema } from '../../adapters/configs';
import { loadDescription } from '../../adapters/descriptions';
import type {
  Credentials,
  ProviderManifest,
  SyncDeclaration,
  VerifiedAccount,
  WebhookFunctions,
} from '../../adapters/types';
import { decryptFor, encryptFor } from '../keys/credentials-crypto';
import { emitEvent } from '../outbound/emit';
import { ApiError } from '../platform/errors';
import { newId } from '../platform/ids';
import { checkConfigHosts } from '../providers/endpoints';
import * as repo from '../store/connections-repo';
import type { IntegrationItem } from '../store/integrations-repo';
import { ensureSyncsOf } from '../syncs/syncs';
import { keysOf } from '../webhooks/routing-keys';
import { connectionView, getConnection, notFound } from './read';
import { announceStatus } from './status';

/**
 * Connections: a customer's account at a provider, with encrypted credentials. Created
 * only after the provider confirmed the credentials (and said whose they are); one per
 * integration, end user and provider account — connecting the same account again
 * refreshes that connection instead of making a second one. Creating one from credentials
 * (which runs the provider's code) is create.ts: the handlers here only describe providers,
 * and a module graph without the implementation registry keeps them that way.
 */
export const jsonObject = (maxBytes: number) =>
  z.record(z.string().check(z.minLength(1), z.maxLength(100)), z.unknown()).check(
    z.refine((o) => Object.keys(o).length <= 50, { message: 'At most 50 keys.' }),
    z.refine((o) => JSON.stringify(o).length <= maxBytes, { message: `At most ${maxBytes} bytes as JSON.` }),
  );

export const patchBody = z.strictObject({
  name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
  // Merged key by key; a null value removes the key (as Stripe's metadata).
  metadata: z.optional(jsonObject(8192)),
  // Replaced whole, and validated by the provider's manifest.
  config: z.optional(jsonObject(8192)),
});

/**
 * Validates config with the provider's config schema (its manifest's, or the same object from
 * adapters/configs.ts), refusing keys it doesn't know.
 */
export const validateConfig = (
  m: Pick<ProviderManifest, 'displayName' | 'config'>,
  config: Record<string, unknown>,
): Record<string, unknown> => {
  const r = m.config.safeParse(config);
  const issues = r.success
    ? Object.keys(config)
        .filter((k) => !(k in (r.data as object)))
        .map((k) => ({ path: `body.config.${k}`, message: `${m.displayName} has no config '${k}'.` }))
    : r.error.issues.map((i) => ({
        path: ['body', 'config', ...i.path.map(String)].join('.'),
        message: i.message,
      }));
  if (issues.length)
    throw new ApiError('validation_failed', 'The config does not fit the provider.', { details: { issues } });
  return r.data as Record<string, unknown>;
};

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
  /** The provider's webhook routing (adapter.webhooks), when it has webhooks: the connection's route items. */
  webhooks?: Pick<WebhookFunctions, 'connectionKeys'> | undefined;
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
  const hooks = args.webhooks;
  const reroute = async (c: repo.ConnectionItem) => {
    const keys = hooks ? keysOf(hooks, c) : [];
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
  const routingKeys = hooks ? keysOf(hooks, item) : [];
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

export const updateConnection = async (
  tenantId: string,
  connectionId: string,
  patch: z.infer<typeof patchBody>,
) => {
  const c = await getConnection(tenantId, connectionId);
  // Only a patch that sets the config loads the provider: its config schema (zod, to validate)
  // and its description (name and hosts, JSON), not its manifest, which builds every action's
  // schema when loaded.
  const [d, schema] =
    patch.config === undefined
      ? []
      : await Promise.all([loadDescription(c.provider), loadConfigSchema(c.provider)]);
  const fields: Parameters<typeof repo.updateConnection>[2] = { updated_at: new Date().toISOString() };
  if (patch.name !== undefined) fields.name = patch.name;
  if (patch.config !== undefined && d && schema) {
    fields.config = validateConfig({ displayName: d.displayName, config: schema }, patch.config);
    await checkConfigHosts(d, fields.config);
  }
  if (patch.metadata !== undefined) {
    const merged: Record<string, unknown> = { ...c.metadata };
    for (const [k, v] of Object.entries(patch.metadata)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    if (Object.keys(merged).length > 50 || JSON.stringify(merged).length > 8192) {
      throw new ApiError('validation_failed', 'Metadata would exceed 50 keys or 8192 bytes.', {
        details: { issues: [{ path: 'body.metadata', message: 'At most 50 keys and 8192 bytes in all.' }] },
      });
    }
    fields.metadata = merged;
  }
  const updated = await repo.updateConnection(tenantId, connectionId, fields);
  if (!updated) throw notFound();
  return connectionView(updated);
};

/** Decrypted credentials, for the flows that call the provider. Never returned by the API. */
export const credentialsOf = (c: repo.ConnectionItem) =>
  decryptFor<Credentials>(c.tenant_id, c.connection_id, c.sealed);

export { connectionView, getConnection, listQuery } from './read';
