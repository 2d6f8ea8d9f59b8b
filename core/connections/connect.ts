import { createHash, randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { loadAdapter } from '../../adapters';
import { isProviderError } from '../../adapters/errors';
import { httpClient } from '../../adapters/http';
import { loadManifest } from '../../adapters/manifests';
import type { Credentials, ProviderManifest, TokenSet, VerifiedAccount } from '../../adapters/types';
import { getIntegration } from '../integrations/read';
import { integrationSecrets } from '../integrations/secrets';
import { oauthCallbackUrl } from '../platform/config';
import { ApiError } from '../platform/errors';
import { newId } from '../platform/ids';
import { apiBaseUrl, integrationSettings, providerUrl } from '../providers/context';
import type { IntegrationItem } from '../store/integrations-repo';
import { consumeState, getState, type OAuthStateItem, putState } from '../store/oauth-state-repo';
import { getSettings } from '../tenants/settings';
import { type StoredCredentials, storeVerifiedConnection } from './connections';
import { externalId } from './read';

/**
 * Connect sessions and the OAuth / app-install callback. A session is a single-use,
 * ten-minute `state` (stored only as its hash) carrying who is connecting and where to
 * send them back; the callback consumes it atomically, exchanges the code, asks the
 * provider whose account it is, and stores or refreshes the connection.
 */
export const SESSION_TTL_MS = 10 * 60_000;
// Consumed states stay a while longer, so a replay is recognised as one.
const TOMBSTONE_SECONDS = 3600;

export const sessionBody = z.strictObject({
  integration: z.string().check(z.minLength(1), z.maxLength(64)),
  end_user_id: z.optional(externalId),
  workspace_id: z.optional(externalId),
  redirect_url: z.string().check(z.minLength(1), z.maxLength(2048)),
  scopes: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(200))).check(z.maxLength(100))),
  /** Which flow, when the integration allows both (GitHub OAuth app vs GitHub App install). */
  auth_mode: z.optional(z.enum(['oauth2', 'app_install'])),
});

export const callbackQuery = z.object({
  state: z.optional(z.string().check(z.maxLength(512))),
  code: z.optional(z.string().check(z.maxLength(4096))),
  error: z.optional(z.string().check(z.maxLength(200))),
  error_description: z.optional(z.string().check(z.maxLength(2000))),
  installation_id: z.optional(z.string().check(z.maxLength(40))),
  setup_action: z.optional(z.string().check(z.maxLength(40))),
});

const hashState = (state: string) => createHash('sha256').update(state).digest('hex');
const invalid = (path: string, message: string) =>
  new ApiError('validation_failed', message, { details: { issues: [{ path, message }] } });

const chooseMode = (
  integration: IntegrationItem,
  m: ProviderManifest,
  asked: 'oauth2' | 'app_install' | undefined,
) => {
  const canOAuth = Boolean(
    m.auth.oauth2 && integration.oauth_client_id && integration.has_oauth_client_secret,
  );
  const canInstall = Boolean(m.auth.app_install && integration.app?.slug && integration.has_app_private_key);
  const mode = asked ?? (canOAuth ? 'oauth2' : canInstall ? 'app_install' : undefined);
  if (mode === 'oauth2' && !canOAuth) {
    throw invalid(
      'body.integration',
      `Integration '${integration.unique_key}' needs oauth_client_id and oauth_client_secret for OAuth.`,
    );
  }
  if (mode === 'app_install' && !canInstall) {
    throw invalid(
      'body.integration',
      `Integration '${integration.unique_key}' needs app.slug and app.private_key for app installs.`,
    );
  }
  if (!mode) {
    throw invalid(
      'body.integration',
      `Integration '${integration.unique_key}' has no OAuth client or app to connect with.`,
    );
  }
  return mode;
};

export const createConnectSession = async (
  tenantId: string,
  endUserId: string,
  body: z.infer<typeof sessionBody>,
) => {
  const integration = await getIntegration(tenantId, body.integration).catch((e: unknown) => {
    if (e instanceof ApiError && e.code === 'not_found') {
      throw new ApiError('integration_not_configured', `No integration '${body.integration}'.`, {
        remediation: 'Create it first with POST /v1/integrations.',
      });
    }
    throw e;
  });
  const settings = await getSettings(tenantId);
  // Exact match only (RFC 9700 §4.1.3): no prefixes, no wildcards, no normalising.
  if (!settings.redirect_url_allowlist.includes(body.redirect_url)) {
    throw invalid(
      'body.redirect_url',
      'redirect_url is not on the allow-list (PATCH /v1/settings redirect_url_allowlist).',
    );
  }
  const m = await loadManifest(integration.provider);
  if (!m) throw new Error(`unknown provider ${integration.provider}`);
  const mode = chooseMode(integration, m, body.auth_mode);
  const state = randomBytes(32).toString('base64url');
  const now = Date.now();
  const validUntil = new Date(now + SESSION_TTL_MS).toISOString();
  const sessionId = newId('cs');
  const scopes = body.scopes ?? integration.scopes ?? m.auth.oauth2?.defaultScopes ?? [];
  const item: OAuthStateItem = {
    tenant_id: tenantId,
    session_id: sessionId,
    integration: integration.unique_key,
    provider: integration.provider,
    mode,
    end_user_id: endUserId,
    ...(body.workspace_id ? { workspace_id: body.workspace_id } : {}),
    redirect_url: body.redirect_url,
    scopes,
    created_at: new Date(now).toISOString(),
    valid_until: validUntil,
    expires_at: Math.floor(now / 1000) + SESSION_TTL_MS / 1000 + TOMBSTONE_SECONDS,
  };

  let authUrl: URL;
  if (mode === 'app_install') {
    const install = m.auth.app_install?.installUrl as string;
    authUrl = new URL(install.replace('{slug}', encodeURIComponent(integration.app?.slug as string)));
    authUrl.searchParams.set('state', state);
  } else {
    const o = m.auth.oauth2 as NonNullable<typeof m.auth.oauth2>;
    authUrl = new URL(providerUrl(integration.endpoints?.authorization_url, o.authorizationUrl));
    const p = authUrl.searchParams;
    p.set('response_type', 'code');
    p.set('client_id', integration.oauth_client_id as string);
    p.set('redirect_uri', oauthCallbackUrl());
    if (scopes.length) p.set('scope', scopes.join(o.scopeSeparator));
    p.set('state', state);
    for (const [k, v] of Object.entries(o.authorizationParams ?? {})) p.set(k, v);
    if (o.pkce) {
      const verifier = randomBytes(32).toString('base64url');
      item.code_verifier = verifier;
      p.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
      p.set('code_challenge_method', 'S256');
    }
    item.token_url = providerUrl(integration.endpoints?.token_url, o.tokenUrl);
  }
  await putState(hashState(state), item);
  return { id: sessionId, auth_url: authUrl.toString(), expires_at: validUntil };
};

export type CallbackError = 'access_denied' | 'invalid_state' | 'state_expired' | 'token_exchange_failed';
export type CallbackOutcome = {
  redirect: string;
  error?: CallbackError;
  reason?: string;
  connectionId?: string;
};

const back = (redirectUrl: string, params: Record<string, string>): string => {
  const u = new URL(redirectUrl);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
};
const fail = (st: { redirect_url: string }, error: CallbackError, reason?: string): CallbackOutcome => ({
  redirect: back(st.redirect_url, { status: 'error', error }),
  error,
  ...(reason ? { reason } : {}),
});

/** GET /v1/oauth/callback. Throws only when there is nowhere safe to send the user. */
export const handleCallback = async (q: z.infer<typeof callbackQuery>): Promise<CallbackOutcome> => {
  if (!q.state) throw invalid('query.state', 'The callback has no state.');
  const hash = hashState(q.state);
  const consumed = await consumeState(hash, new Date().toISOString());
  if (consumed === undefined) throw invalid('query.state', 'Unknown authorization state.');
  if (consumed === 'used') {
    const st = await getState(hash);
    if (!st) throw invalid('query.state', 'Unknown authorization state.');
    return fail(st, 'invalid_state', 'state replayed');
  }
  const st = consumed;
  if (Date.now() > Date.parse(st.valid_until)) return fail(st, 'state_expired');
  if (q.error) {
    return fail(
      st,
      q.error === 'access_denied' ? 'access_denied' : 'token_exchange_failed',
      `provider error ${q.error}`,
    );
  }

  let integration: IntegrationItem;
  try {
    integration = await getIntegration(st.tenant_id, st.integration);
  } catch {
    return fail(st, 'token_exchange_failed', 'integration deleted');
  }
  const adapter = await loadAdapter(integration.provider);
  if (!adapter) return fail(st, 'token_exchange_failed', 'unknown provider');
  const secrets = await integrationSecrets(integration);

  let credentials: StoredCredentials;
  let tokens: TokenSet | undefined;
  if (st.mode === 'app_install') {
    if (!q.installation_id || !/^\d{1,20}$/.test(q.installation_id)) {
      // `setup_action=request`: an organisation owner must approve the install first.
      return fail(
        st,
        q.setup_action === 'request' ? 'access_denied' : 'token_exchange_failed',
        'no installation',
      );
    }
    credentials = { type: 'app_install', installation_id: q.installation_id };
  } else {
    if (!q.code) return fail(st, 'token_exchange_failed', 'no code');
    const oauth = adapter.oauth;
    if (!oauth) return fail(st, 'token_exchange_failed', 'provider has no OAuth flow');
    let exchanged: TokenSet;
    try {
      exchanged = await oauth.exchangeCode({
        tokenUrl: st.token_url as string,
        clientId: integration.oauth_client_id as string,
        clientSecret: secrets.oauth_client_secret as string,
        redirectUri: oauthCallbackUrl(),
        scopes: st.scopes,
        http: httpClient,
        code: q.code,
        ...(st.code_verifier ? { codeVerifier: st.code_verifier } : {}),
      });
    } catch (e) {
      return fail(st, 'token_exchange_failed', isProviderError(e) ? e.providerMessage : 'exchange failed');
    }
    tokens = exchanged;
    credentials = {
      type: 'oauth2',
      access_token: exchanged.accessToken,
      ...(exchanged.refreshToken ? { refresh_token: exchanged.refreshToken } : {}),
      ...(exchanged.expiresAt ? { expires_at: exchanged.expiresAt } : {}),
      ...(exchanged.extra ? { extra: exchanged.extra } : {}),
    };
  }

  let verified: VerifiedAccount;
  try {
    verified = await adapter.verifyCredentials({
      credentials: credentials as Credentials,
      config: {},
      baseUrl: apiBaseUrl(integration, adapter, {}, credentials as Credentials),
      integration: integrationSettings(integration, secrets),
      http: httpClient,
    });
  } catch (e) {
    return fail(st, 'token_exchange_failed', isProviderError(e) ? e.providerMessage : 'verification failed');
  }
  if (tokens?.scopes && !verified.scopes) verified = { ...verified, scopes: tokens.scopes };

  const { connection } = await storeVerifiedConnection({
    tenantId: st.tenant_id,
    integration,
    endUserId: st.end_user_id,
    ...(st.workspace_id ? { workspaceId: st.workspace_id } : {}),
    config: {},
    credentials,
    verified,
    ...(tokens?.metadata ? { tokenMetadata: tokens.metadata } : {}),
  });
  return {
    redirect: back(st.redirect_url, { status: 'success', connection_id: connection.id }),
    connectionId: connection.id,
  };
};
