import { createHash, randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { loadAdapter } from '../../adapters';
import { loadDescription } from '../../adapters/descriptions';
import { isProviderError } from '../../adapters/errors';
import type {
  Adapter,
  Credentials,
  OAuthFunctions,
  PlainManifest,
  ProviderManifest,
  TokenSet,
  VerifiedAccount,
} from '../../adapters/types';
import { getIntegration } from '../integrations/read';
import { integrationSecrets } from '../integrations/secrets';
import { oauthCallbackUrl, publicApiUrl } from '../platform/config';
import { ApiError } from '../platform/errors';
import { newSessionId, SESSION_ID } from '../platform/ids';
import { providerHttp } from '../platform/provider-http';
import { apiBaseUrl, integrationSettings, providerUrl } from '../providers/context';
import { allowedEndpoint } from '../providers/endpoints';
import { toApiError } from '../providers/errors';
import { getConnection as findConnection } from '../store/connections-repo';
import type { IntegrationItem } from '../store/integrations-repo';
import {
  completeSession,
  consumeState,
  getSession,
  getState,
  type OAuthStateItem,
  putSession,
  putState,
} from '../store/oauth-state-repo';
import { getSettings } from '../tenants/settings';
import { browserMatches, newBinding } from './browser-binding';
import { type StoredCredentials, storeVerifiedConnection } from './connections';
import { externalId, getConnection } from './read';
import { markPending, restorePending } from './status';

/**
 * Connect sessions, their start, and the OAuth / app-install callback. A session (ten
 * minutes) carries who is connecting, to what, and where to send them back; its `auth_url`
 * is our own `/v1/connect/start`, which binds the flow to the browser (a `__Host-` cookie,
 * browser-binding.ts) and sends it to the provider with a fresh single-use `state` (stored
 * only as its hash) and PKCE. The callback checks the browser, consumes the state
 * atomically, exchanges the code, asks the provider whose account (or installation) it is,
 * and stores or refreshes the connection; the session then cannot start again.
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
  /**
   * Which flow, when the integration allows several (GitHub OAuth app vs GitHub App install,
   * Linear OAuth vs a personal API key typed on the connect page).
   */
  auth_mode: z.optional(z.enum(['oauth2', 'app_install', 'api_key', 'basic'])),
  /**
   * An existing connection to re-authorise (of this integration and end user). While the
   * session is open, a connection that was not active reads `pending_auth`.
   */
  connection_id: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});

export type SessionMode = NonNullable<z.infer<typeof sessionBody>['auth_mode']>;
const credentialModes = ['api_key', 'basic'] as const;
export type CredentialMode = (typeof credentialModes)[number];
export const isCredentialMode = (mode: string): mode is CredentialMode =>
  (credentialModes as readonly string[]).includes(mode);

/** A session's auth_url: our own start, which binds the flow to the browser. */
export const startUrl = (sessionId: string): string => {
  const u = new URL(`${publicApiUrl()}/v1/connect/start`);
  u.searchParams.set('session', sessionId);
  return u.toString();
};

/** The hosted connect page of a session (GET /connect/{session_id}). */
export const connectPageUrl = (sessionId: string): string => `${publicApiUrl()}/connect/${sessionId}`;

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

/**
 * What an app install still lacks. Beside the app itself, its OAuth client: the callback's
 * `installation_id` is a query parameter anyone can write, so the install asks the user to
 * authorize the app too, and the installation is taken only if that user can access it.
 */
const missingForInstall = (integration: IntegrationItem): string[] => [
  ...(integration.app?.slug ? [] : ['app.slug']),
  ...(integration.has_app_private_key ? [] : ['app.private_key']),
  ...(integration.oauth_client_id ? [] : ['oauth_client_id']),
  ...(integration.has_oauth_client_secret ? [] : ['oauth_client_secret']),
];

/**
 * The session's flow: the one asked for, else OAuth when the integration has a client, else
 * the app install when it has an app, else credentials typed on the connect page (API key,
 * then basic) when the provider takes them.
 */
const chooseMode = (
  integration: IntegrationItem,
  m: PlainManifest,
  asked: SessionMode | undefined,
): SessionMode => {
  const canOAuth = Boolean(
    m.auth.oauth2 && integration.oauth_client_id && integration.has_oauth_client_secret,
  );
  const hasApp = Boolean(m.auth.app_install && integration.app);
  const typed = credentialModes.find((c) => m.auth[c]);
  const mode = asked ?? (canOAuth ? 'oauth2' : hasApp ? 'app_install' : typed);
  if (mode && isCredentialMode(mode)) {
    // Every provider verifies the credentials it declares (implement() demands the code).
    if (!m.auth[mode]) throw invalid('body.auth_mode', `${m.displayName} takes no ${mode} credentials.`);
    return mode;
  }
  if (mode === 'oauth2' && !canOAuth) {
    throw invalid(
      'body.integration',
      `Integration '${integration.unique_key}' needs oauth_client_id and oauth_client_secret for OAuth.`,
    );
  }
  if (mode === 'app_install') {
    // A declared app install comes with the check of whose it is (implement() demands it);
    // that check runs through the app's own OAuth client.
    if (!m.auth.app_install || !m.auth.oauth2) {
      throw invalid('body.auth_mode', `${m.displayName} has no app installs.`);
    }
    const missing = missingForInstall(integration);
    if (missing.length > 0) {
      throw invalid(
        'body.integration',
        `Integration '${integration.unique_key}' needs ${missing.join(', ')} for app installs ` +
          "(oauth_client_id and oauth_client_secret are the app's own OAuth client, used to check " +
          'that the installation belongs to the user who installed it).',
      );
    }
  }
  if (!mode) {
    throw invalid(
      'body.integration',
      `Integration '${integration.unique_key}' has no OAuth client or app to connect with.`,
    );
  }
  return mode;
};

/**
 * `byEndUser`: opened with an end-user token (a browser), which may ask only for scopes the
 * integration configures — its `scopes`, else the provider's defaults — never widen them.
 */
export const createConnectSession = async (
  tenantId: string,
  endUserId: string,
  body: z.infer<typeof sessionBody>,
  options: { byEndUser?: boolean } = {},
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
  const m = await loadDescription(integration.provider);
  if (!m) throw new Error(`unknown provider ${integration.provider}`);
  // Another tenant's or another end user's connection is not found, as everywhere.
  const reauth = body.connection_id
    ? await getConnection(tenantId, body.connection_id, endUserId)
    : undefined;
  if (reauth && reauth.integration !== integration.unique_key) {
    throw invalid(
      'body.connection_id',
      `The connection belongs to integration '${reauth.integration}', not '${integration.unique_key}'.`,
    );
  }
  const mode = chooseMode(integration, m, body.auth_mode);
  const now = Date.now();
  const validUntil = new Date(now + SESSION_TTL_MS).toISOString();
  const sessionId = newSessionId();
  const facts = {
    tenant_id: tenantId,
    session_id: sessionId,
    integration: integration.unique_key,
    provider: integration.provider,
    end_user_id: endUserId,
    ...(body.workspace_id ? { workspace_id: body.workspace_id } : {}),
    redirect_url: body.redirect_url,
    ...(reauth ? { reauth_connection_id: reauth.connection_id } : {}),
    created_at: new Date(now).toISOString(),
    valid_until: validUntil,
    expires_at: Math.floor(now / 1000) + SESSION_TTL_MS / 1000 + TOMBSTONE_SECONDS,
  };
  const answer = {
    id: sessionId,
    auth_url: startUrl(sessionId),
    connect_url: connectPageUrl(sessionId),
    auth_mode: mode,
    expires_at: validUntil,
  };
  if (isCredentialMode(mode)) {
    // Typed on the connect page; scopes are an OAuth notion. auth_url leads there too.
    await putSession({ ...facts, mode, scopes: [], pkce: false });
    if (reauth) await markPending(reauth, sessionId, validUntil);
    return answer;
  }
  const configured = integration.scopes ?? m.auth.oauth2?.defaultScopes ?? [];
  if (options.byEndUser && body.scopes) {
    const extra = body.scopes.filter((s) => !configured.includes(s));
    if (extra.length) {
      const message = `Not among the integration's scopes: ${extra.map((s) => `'${s.slice(0, 200)}'`).join(', ')}.`;
      throw new ApiError(
        'validation_failed',
        'An end-user token may ask only for the integration’s scopes.',
        {
          details: { issues: [{ path: 'body.scopes', message }], allowed: configured },
          remediation:
            'Leave scopes out, or ask for a subset of the integration’s scopes (PATCH /v1/integrations/{key} sets them).',
        },
      );
    }
  }
  const scopes = body.scopes ?? configured;

  // The provider's URL, complete but for the state and PKCE each start adds.
  let authorizationUrl: URL;
  let pkce = false;
  let tokenUrl: string;
  // A stored override that is not allowed (any more) answers 502, naming the field.
  const allowed = (field: 'authorization_url' | 'token_url') => {
    try {
      return providerUrl(integration, m, field);
    } catch (e) {
      throw toApiError(e, m.displayName);
    }
  };
  if (mode === 'app_install') {
    const install = m.auth.app_install?.installUrl as string;
    authorizationUrl = new URL(
      install.replace('{slug}', encodeURIComponent(integration.app?.slug as string)),
    );
    // Where the code the install comes back with is exchanged for the user's token.
    tokenUrl = allowed('token_url');
  } else {
    const o = m.auth.oauth2 as NonNullable<typeof m.auth.oauth2>;
    authorizationUrl = new URL(allowed('authorization_url'));
    const p = authorizationUrl.searchParams;
    p.set('response_type', 'code');
    p.set('client_id', integration.oauth_client_id as string);
    p.set('redirect_uri', oauthCallbackUrl());
    if (scopes.length) p.set('scope', scopes.join(o.scopeSeparator));
    for (const [k, v] of Object.entries(o.authorizationParams ?? {})) p.set(k, v);
    pkce = o.pkce;
    tokenUrl = allowed('token_url');
  }
  await putSession({
    ...facts,
    mode,
    scopes,
    authorization_url: authorizationUrl.toString(),
    pkce,
    token_url: tokenUrl,
  });
  if (reauth) await markPending(reauth, sessionId, validUntil);
  return answer;
};

export const startQuery = z.object({
  session: z.string().check(z.regex(SESSION_ID, 'Expected a connect session id (cs_…).')),
  /**
   * Set by the connect page's button: the callback then lands on the page's result
   * (`/connect/{session_id}/done`) instead of redirect_url — `popup` when /connect.js opened it.
   */
  display: z.optional(z.enum(['page', 'popup'])),
});

/**
 * GET /v1/connect/start: the browser arrives from the tenant's app. Each visit is a new
 * authorization: a fresh single-use state and PKCE verifier, stored (the state as its hash)
 * with the hash of a nonce set in this browser's cookie; then off to the provider.
 */
export const startConnect = async (
  sessionId: string,
  display?: 'page' | 'popup',
): Promise<{ redirect: string; setCookie?: string }> => {
  const session = await getSession(sessionId);
  if (!session) {
    throw new ApiError('not_found', 'No such connect session.', {
      remediation: 'Open a new one with POST /v1/connect/sessions.',
    });
  }
  if (session.completed_at) {
    throw new ApiError('invalid_state', 'This connect session has already connected an account.', {
      remediation: 'Open a new one with POST /v1/connect/sessions to connect again.',
    });
  }
  if (Date.now() > Date.parse(session.valid_until)) {
    throw new ApiError('state_expired', 'This connect session has expired (sessions last ten minutes).', {
      remediation: 'Open a new one with POST /v1/connect/sessions.',
    });
  }
  // Credentials are typed on the connect page: auth_url leads there, nothing to bind yet.
  if (session.mode === 'api_key' || session.mode === 'basic' || !session.authorization_url) {
    const page = new URL(connectPageUrl(sessionId));
    if (display === 'popup') page.searchParams.set('display', 'popup');
    return { redirect: page.toString() };
  }
  const state = randomBytes(32).toString('base64url');
  const binding = newBinding(sessionId, session.valid_until);
  const url = new URL(session.authorization_url);
  url.searchParams.set('state', state);
  const {
    authorization_url: _url,
    pkce,
    completed_at: _done,
    connection_id: _c,
    account_name: _a,
    attempts: _n,
    mode,
    ...facts
  } = session;
  const item: OAuthStateItem = {
    ...facts,
    mode,
    browser_hash: binding.hash,
    ...(display ? { display } : {}),
  };
  if (pkce) {
    const verifier = randomBytes(32).toString('base64url');
    item.code_verifier = verifier;
    url.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
    url.searchParams.set('code_challenge_method', 'S256');
  }
  await putState(hashState(state), item);
  return { redirect: url.toString(), setCookie: binding.setCookie };
};

export type CallbackError =
  | 'access_denied'
  | 'invalid_state'
  | 'state_expired'
  | 'token_exchange_failed'
  /** An app install whose installation the user who came back cannot access. */
  | 'installation_not_yours'
  /** The browser that came back is not the one that started the flow (no or another cookie). */
  | 'session_mismatch';
export type CallbackOutcome = {
  redirect: string;
  error?: CallbackError;
  reason?: string;
  connectionId?: string;
  accountName?: string;
};

/** The token URL of the provider's OAuth client, which app installs use for the user's token. */
const installTokenUrl = (integration: IntegrationItem, m: ProviderManifest): string => {
  if (!m.auth.oauth2) throw new Error(`${integration.provider} has app installs but no OAuth client`);
  return providerUrl(integration, m, 'token_url');
};

/** `redirect_url` with the outcome in its query: where a flow started outside the page ends. */
export const backTo = (redirectUrl: string, params: Record<string, string>): string => {
  const u = new URL(redirectUrl);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
};
/**
 * Where the callback sends the browser: the session's redirect_url with the outcome, or —
 * for a flow started from the connect page — the page's result, which shows it and then
 * forwards to redirect_url (or, in a popup, posts it to the opener). The result page reads
 * a success from the session itself, never from this URL; only an error code rides along.
 */
const destination = (
  st: { redirect_url: string; session_id: string; display?: 'page' | 'popup' },
  params: { status: 'success'; connection_id: string } | { status: 'error'; error: CallbackError },
): string => {
  if (!st.display) return backTo(st.redirect_url, params);
  const done = new URL(`${connectPageUrl(st.session_id)}/done`);
  if (params.status === 'error') done.searchParams.set('error', params.error);
  if (st.display === 'popup') done.searchParams.set('display', 'popup');
  return done.toString();
};
const fail = (
  st: { redirect_url: string; session_id: string; display?: 'page' | 'popup' },
  error: CallbackError,
  reason?: string,
): CallbackOutcome => ({
  redirect: destination(st, { status: 'error', error }),
  error,
  ...(reason ? { reason } : {}),
});

/**
 * Why an app install's installation is not taken, or undefined when the user who came back
 * can access it. The install asked them to authorize the app (GitHub: "Request user
 * authorization (OAuth) during installation"), so the callback carries a `code` beside
 * `installation_id`: exchanged with the app's OAuth client for the user's own token, which
 * must list the installation. Without a code nothing ties the id to anyone.
 * https://docs.github.com/en/apps/creating-github-apps/setting-up-a-github-app/about-the-setup-url
 */
const installationRefused = async (
  st: OAuthStateItem,
  installationId: string,
  code: string | undefined,
  c: {
    integration: IntegrationItem;
    adapter: Adapter;
    oauth: OAuthFunctions;
    clientSecret: string | undefined;
  },
): Promise<CallbackOutcome | undefined> => {
  const check = c.adapter.appInstall?.userCanAccessInstallation;
  if (!code) return fail(st, 'installation_not_yours', 'no user authorization came with the install');
  if (!check || !c.integration.oauth_client_id || !c.clientSecret) {
    return fail(
      st,
      'installation_not_yours',
      'the integration has no OAuth client to check the install with',
    );
  }
  let userToken: string;
  try {
    userToken = (
      await c.oauth.exchangeCode({
        // What the session stored is checked again: the integration may have changed since.
        tokenUrl: st.token_url
          ? allowedEndpoint(c.adapter.manifest, 'token_url', st.token_url)
          : installTokenUrl(c.integration, c.adapter.manifest),
        clientId: c.integration.oauth_client_id,
        clientSecret: c.clientSecret,
        redirectUri: oauthCallbackUrl(),
        scopes: [],
        http: providerHttp,
        code,
      })
    ).accessToken;
  } catch (e) {
    return fail(st, 'token_exchange_failed', isProviderError(e) ? e.providerMessage : 'exchange failed');
  }
  try {
    const mine = await check({
      installationId,
      userToken,
      baseUrl: apiBaseUrl(c.integration, c.adapter, {}),
      http: providerHttp,
    });
    return mine ? undefined : fail(st, 'installation_not_yours', 'not among the user’s installations');
  } catch (e) {
    // The provider down or limiting is no verdict on whose installation it is.
    if (isProviderError(e) && e.kind !== 'rejected') {
      return fail(st, 'token_exchange_failed', e.providerMessage);
    }
    return fail(st, 'installation_not_yours', isProviderError(e) ? e.providerMessage : 'check failed');
  }
};

/** GET /v1/oauth/callback. Throws only when there is nowhere safe to send the user. */
export const handleCallback = async (
  q: z.infer<typeof callbackQuery>,
  cookies: readonly string[],
): Promise<CallbackOutcome> => {
  if (!q.state) throw invalid('query.state', 'The callback has no state.');
  const hash = hashState(q.state);
  const pending = await getState(hash);
  if (!pending) throw invalid('query.state', 'Unknown authorization state.');
  // The browser before anything else, and without consuming the state: a request that
  // carries a leaked state but not the cookie learns nothing and spends nothing, so it
  // cannot deny the user who started the flow their own callback.
  if (!browserMatches(cookies, pending.session_id, pending.browser_hash)) {
    return fail(pending, 'session_mismatch', 'the browser binding cookie is missing or differs');
  }
  const consumed = await consumeState(hash, new Date().toISOString());
  if (consumed === undefined) throw invalid('query.state', 'Unknown authorization state.');
  // The cookie stays until it expires with the session: it is bound to this spent state only,
  // and a replay from this browser is then told so (`invalid_state`).
  if (consumed === 'used') return fail(pending, 'invalid_state', 'state replayed');
  const outcome = await finish(consumed, q);
  // A re-authorisation that failed (or connected another account) puts back the status it
  // interrupted, unless a newer session for the connection is waiting meanwhile.
  const reauthId = consumed.reauth_connection_id;
  if (reauthId && outcome.connectionId !== reauthId) {
    const c = await findConnection(consumed.tenant_id, reauthId);
    if (c)
      await restorePending(
        c,
        `The re-authorisation failed (${outcome.error ?? 'another account'}).`,
        consumed.session_id,
      );
  }
  if (outcome.connectionId) {
    await completeSession(consumed.session_id, new Date().toISOString(), {
      connection_id: outcome.connectionId,
      account_name: outcome.accountName ?? '',
    });
  }
  return outcome;
};

/** The rest of a callback whose state was this browser's and is now consumed. */
const finish = async (st: OAuthStateItem, q: z.infer<typeof callbackQuery>): Promise<CallbackOutcome> => {
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
  // App installs too: whose installation it is is asked with the app's OAuth client.
  const oauth = adapter.oauth;
  if (!oauth) return fail(st, 'token_exchange_failed', 'provider has no OAuth flow');
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
    const refused = await installationRefused(st, q.installation_id, q.code, {
      integration,
      adapter,
      oauth,
      clientSecret: secrets.oauth_client_secret,
    });
    if (refused) return refused;
    credentials = { type: 'app_install', installation_id: q.installation_id };
  } else {
    if (!q.code) return fail(st, 'token_exchange_failed', 'no code');
    let exchanged: TokenSet;
    try {
      exchanged = await oauth.exchangeCode({
        // Checked again: the session may predate the endpoint rule.
        tokenUrl: allowedEndpoint(adapter.manifest, 'token_url', st.token_url as string),
        clientId: integration.oauth_client_id as string,
        clientSecret: secrets.oauth_client_secret as string,
        redirectUri: oauthCallbackUrl(),
        scopes: st.scopes,
        http: providerHttp,
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
      http: providerHttp,
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
    webhooks: adapter.webhooks,
    syncs: adapter.manifest.syncs,
  });
  return {
    redirect: destination(st, { status: 'success', connection_id: connection.id }),
    connectionId: connection.id,
    accountName: connection.provider_account.name,
  };
};
