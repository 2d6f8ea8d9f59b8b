import { randomUUID } from 'node:crypto';
import { loadAccount } from '../../adapters/accounts';
import { isProviderError } from '../../adapters/errors';
import type { Credentials, TokenSet } from '../../adapters/types';
import { getIntegration } from '../integrations/read';
import { integrationSecrets } from '../integrations/secrets';
import { decryptFor, encryptFor } from '../keys/credentials-crypto';
import { oauthCallbackUrl } from '../platform/config';
import { ApiError } from '../platform/errors';
import { logger } from '../platform/log';
import { providerHttp } from '../platform/provider-http';
import { apiBaseUrl, providerUrl } from '../providers/context';
import { toApiError } from '../providers/errors';
import { type ConnectionItem, updateConnection } from '../store/connections-repo';
import { acquireLease, releaseLease } from '../store/lease-repo';
import type { StoredCredentials } from './connections';
import { getConnection } from './read';
import { transition } from './status';

/**
 * GET /v1/connections/{id}/token: a usable token, refreshed when it expires within five
 * minutes or when forced. One refresh at a time per connection across every Lambda: a
 * DynamoDB lease, and a re-read after taking it — whoever finds that a refresh finished
 * after their request began uses that token instead of refreshing again. Rotated
 * refresh tokens are saved before anyone gets the new access token.
 */
export const EXPIRY_MARGIN_MS = 5 * 60_000;
const LEASE_MS = 15_000;
const WAIT_MS = 20_000;
/**
 * A forced refresh is satisfied by a refresh that finished less than this long before
 * the call arrived: "concurrent" callers don't all reach us before the first refresh
 * completes, and each latecomer must not spend (and rotate) the refresh token again.
 */
export const SHARE_WINDOW_MS = 2_000;

export type TokenAnswer =
  | {
      type: 'bearer';
      access_token: string;
      expires_at: string | null;
      /** Other tokens of the grant (Slack's user token): for adapters, never in the HTTP answer. */
      extra?: Record<string, string>;
    }
  | { type: 'api_key'; api_key: string; app_key?: string }
  | { type: 'basic'; username: string; password: string };

/** A token answer as an adapter takes credentials (syncs, actions). */
export const adapterCredentials = (t: TokenAnswer): Credentials =>
  t.type === 'bearer'
    ? { type: 'oauth2', access_token: t.access_token, ...(t.extra ? { extra: t.extra } : {}) }
    : t.type === 'api_key'
      ? { type: 'api_key', api_key: t.api_key, ...(t.app_key ? { app_key: t.app_key } : {}) }
      : { type: 'basic', username: t.username, password: t.password };

/** Credentials that a forced refresh can renew (OAuth with a refresh token, app installs). */
export const refreshable = (c: { credentials_meta: { type: string } }): boolean =>
  c.credentials_meta.type === 'oauth2' || c.credentials_meta.type === 'app_install';

/** The provider refused the credentials as unauthenticated, and a refresh could renew them. */
export const renewable = (e: unknown, c: { credentials_meta: { type: string } }): boolean =>
  isProviderError(e) && e.kind === 'rejected' && e.status === 401 && refreshable(c);

/**
 * Credentials to retry with after the provider refused `refused` with a 401: what is
 * stored now when another caller renewed them meanwhile, else a forced refresh.
 */
export const credentialsAfter401 = async (
  tenantId: string,
  connectionId: string,
  refused: Credentials,
): Promise<Credentials> => {
  const stored = adapterCredentials(await getToken(tenantId, connectionId, false));
  return JSON.stringify(stored) === JSON.stringify(refused)
    ? adapterCredentials(await getToken(tenantId, connectionId, true))
    : stored;
};

/**
 * The manifest of the account the refresh ran (loadAccount keeps it loaded): no second
 * registry (descriptions, manifests) in the handlers that renew tokens, which all run providers.
 */
const manifestOf = async (c: ConnectionItem) => (await loadAccount(c.provider))?.manifest;

/** A refused refresh in the words its provider uses for a revoked grant (manifest `revokedGrant`). */
const revoked = async (c: ConnectionItem, code: string | undefined, message: string): Promise<boolean> => {
  const words = (await manifestOf(c))?.auth.oauth2?.revokedGrant ?? [];
  const lower = message.toLowerCase();
  return code === 'invalid_grant' && words.some((w) => lower.includes(w.toLowerCase()));
};

const notReady = (c: ConnectionItem) =>
  new ApiError('connection_not_ready', `The connection is ${c.status}.`, {
    details: { status: c.status },
    remediation: 'Ask the end user to connect again (POST /v1/connect/sessions).',
  });

const answerFrom = (creds: StoredCredentials): TokenAnswer => {
  if (creds.type === 'api_key')
    return { type: 'api_key', api_key: creds.api_key, ...(creds.app_key ? { app_key: creds.app_key } : {}) };
  if (creds.type === 'basic') return { type: 'basic', username: creds.username, password: creds.password };
  if (creds.type === 'oauth2')
    return {
      type: 'bearer',
      access_token: creds.access_token,
      expires_at: creds.expires_at ?? null,
      ...(creds.extra ? { extra: creds.extra } : {}),
    };
  const installation = creds as StoredCredentials & {
    installation_token?: string;
    installation_token_expires_at?: string;
  };
  return {
    type: 'bearer',
    access_token: installation.installation_token as string,
    expires_at: installation.installation_token_expires_at ?? null,
  };
};

const expiresSoon = (creds: StoredCredentials, now: number): boolean => {
  const at =
    creds.type === 'oauth2'
      ? creds.expires_at
      : creds.type === 'app_install'
        ? ((creds as { installation_token_expires_at?: string }).installation_token_expires_at ??
          '1970-01-01T00:00:00Z')
        : undefined;
  return at !== undefined && Date.parse(at) - now < EXPIRY_MARGIN_MS;
};

const needsRefresh = (creds: StoredCredentials, c: ConnectionItem, requestedAt: number, force: boolean) => {
  if (creds.type === 'api_key' || creds.type === 'basic') return false;
  // No refresh token (ClickUp, GitHub OAuth apps): the token doesn't expire and there is
  // nothing to refresh with — answer it as it is, forced or not.
  if (creds.type === 'oauth2' && !creds.refresh_token) return false;
  // Forced: unless a refresh finished just before (or after) this request arrived —
  // then that one is ours too, and concurrent callers share one refresh.
  if (force) return (c.token_refreshed_at_ms ?? 0) < requestedAt - SHARE_WINDOW_MS;
  return expiresSoon(creds, Date.now());
};

/** Talks to the provider: an OAuth refresh or a new installation token. */
const obtain = async (c: ConnectionItem, creds: StoredCredentials): Promise<StoredCredentials> => {
  const integration = await getIntegration(c.tenant_id, c.integration);
  const adapter = await loadAccount(c.provider);
  if (!adapter) throw new Error(`unknown provider ${c.provider}`);
  const secrets = await integrationSecrets(integration);
  if (creds.type === 'app_install') {
    if (!adapter.appInstall || !integration.app || !secrets.app_private_key) {
      throw new ApiError(
        'connection_not_ready',
        'The integration has no app key to mint installation tokens.',
      );
    }
    const t = await adapter.appInstall.mintInstallationToken({
      installationId: creds.installation_id,
      app: { appId: integration.app.app_id, privateKey: secrets.app_private_key },
      baseUrl: apiBaseUrl(integration, adapter, c.config),
      http: providerHttp,
    });
    return {
      ...creds,
      installation_token: t.accessToken,
      ...(t.expiresAt ? { installation_token_expires_at: t.expiresAt } : {}),
    } as StoredCredentials;
  }
  if (creds.type !== 'oauth2' || !creds.refresh_token) {
    throw new ApiError('connection_not_ready', 'These credentials cannot be refreshed.', {
      remediation: 'Connect again to get new ones.',
    });
  }
  const o = adapter.manifest.auth.oauth2;
  if (!o || !integration.oauth_client_id || !secrets.oauth_client_secret) {
    throw new ApiError('connection_not_ready', 'The integration has no OAuth client to refresh with.');
  }
  const oauth = adapter.oauth;
  if (!oauth?.refreshToken)
    throw new ApiError('connection_not_ready', `${adapter.manifest.displayName} tokens cannot be refreshed.`);
  const t: TokenSet = await oauth.refreshToken({
    tokenUrl: providerUrl(integration, adapter.manifest, 'token_url'),
    clientId: integration.oauth_client_id,
    clientSecret: secrets.oauth_client_secret,
    redirectUri: oauthCallbackUrl(),
    // The scopes granted (Microsoft wants them again on refresh), else those asked for.
    scopes: c.credentials_meta.scopes ?? integration.scopes ?? o.defaultScopes,
    http: providerHttp,
    refreshToken: creds.refresh_token,
  });
  return {
    ...creds,
    access_token: t.accessToken,
    // Providers that don't rotate send no new refresh token: keep the one we have.
    refresh_token: t.refreshToken ?? creds.refresh_token,
    ...(t.expiresAt ? { expires_at: t.expiresAt } : {}),
    ...(t.extra ? { extra: { ...creds.extra, ...t.extra } } : {}),
  } as StoredCredentials;
};

/** `requestedAt`: when the request arrived (API Gateway's receipt time), epoch ms. */
export const getToken = async (
  tenantId: string,
  connectionId: string,
  force: boolean,
  requestedAt = Date.now(),
): Promise<TokenAnswer> => {
  const owner = randomUUID();
  const deadline = requestedAt + WAIT_MS;
  let c = await getConnection(tenantId, connectionId);
  while (true) {
    if (c.status !== 'active') throw notReady(c);
    const creds = await decryptFor<StoredCredentials>(tenantId, connectionId, c.sealed);
    if (!needsRefresh(creds, c, requestedAt, force)) return answerFrom(creds);

    if (await acquireLease(tenantId, `token:${connectionId}`, owner, LEASE_MS)) {
      try {
        // Re-read under the lease: another Lambda may have refreshed since we looked.
        c = await getConnection(tenantId, connectionId);
        if (c.status !== 'active') throw notReady(c);
        const current = await decryptFor<StoredCredentials>(tenantId, connectionId, c.sealed);
        if (!needsRefresh(current, c, requestedAt, force)) return answerFrom(current);
        let next: StoredCredentials;
        try {
          next = await obtain(c, current);
        } catch (e) {
          const refused = isProviderError(e) && e.kind === 'rejected';
          // Counted by the TokenRefreshes metric filter (lib/observability.ts).
          logger.warn('token refresh', { provider: c.provider, outcome: refused ? 'rejected' : 'failed' });
          if (isProviderError(e) && e.kind === 'rejected') {
            // The grant is gone for good: revoked at the provider (disconnected), else expired
            // (invalid_grant, an app key that no longer mints). Either way the user must reconnect.
            const status = (await revoked(c, e.code, e.providerMessage)) ? 'disconnected' : 'expired';
            const changed = await transition(c, {
              from: 'active',
              to: status,
              reason: `The provider refused to refresh the credentials: ${e.providerMessage}`,
            });
            if (changed && status === 'expired') {
              // Loaded on this path only (as status.ts loads it): a refused refresh is rare.
              const { emitEvent } = await import('../outbound/emit');
              await emitEvent(tenantId, 'connection.expired', {
                connection_id: connectionId,
                integration: c.integration,
                provider: c.provider,
                end_user_id: c.end_user_id,
                provider_message: e.providerMessage,
              });
            }
            throw new ApiError(
              'connection_not_ready',
              `The provider refused to refresh the credentials; the connection is ${status}.`,
              {
                details: { status, provider_message: e.providerMessage },
                remediation: 'Ask the end user to connect again (POST /v1/connect/sessions).',
              },
            );
          }
          throw toApiError(e, (await manifestOf(c))?.displayName ?? c.provider);
        }
        logger.info('token refresh', { provider: c.provider, outcome: 'success' });
        // Saved before answering: a rotated refresh token must never be lost.
        const saved = await updateConnection(tenantId, connectionId, {
          sealed: await encryptFor(tenantId, connectionId, next),
          token_refreshed_at_ms: Date.now(),
          credentials_meta: {
            ...c.credentials_meta,
            ...(next.type === 'oauth2' && next.expires_at ? { expires_at: next.expires_at } : {}),
          },
          updated_at: new Date().toISOString(),
        });
        if (!saved) throw new ApiError('not_found', 'No such connection.');
        return answerFrom(next);
      } finally {
        await releaseLease(tenantId, `token:${connectionId}`, owner);
      }
    }
    if (Date.now() > deadline) {
      throw new ApiError('service_unavailable', 'A token refresh for this connection is taking too long.', {
        headers: { 'retry-after': '2' },
      });
    }
    // Someone else is refreshing: wait a moment and look again.
    await new Promise((r) => setTimeout(r, 25 + Math.random() * 50));
    c = await getConnection(tenantId, connectionId);
  }
};

/**
 * GET /v1/connections/{id}/token: the connection's token for the tenant's backend. The
 * grant's other tokens (Slack's user token) stay inside: the contract answers one token.
 */
export const tokenForBackend = async (
  tenantId: string,
  connectionId: string,
  force: boolean,
  requestedAt = Date.now(),
): Promise<TokenAnswer> => {
  const answer = await getToken(tenantId, connectionId, force, requestedAt);
  if (answer.type !== 'bearer') return answer;
  const { extra: _extra, ...token } = answer;
  return token;
};
