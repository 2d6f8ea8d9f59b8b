import * as z from 'zod/mini';
import { loadAccount } from '../../adapters/accounts';
import { isProviderError } from '../../adapters/errors';
import type {
  Account,
  Credentials,
  OAuthFunctions,
  ProviderManifest,
  TokenSet,
  VerifiedAccount,
} from '../../adapters/types';
import { getIntegration } from '../integrations/read';
import { integrationSecrets } from '../integrations/secrets';
import { oauthCallbackUrl } from '../platform/config';
import { providerHttp } from '../platform/provider-http';
import { apiBaseUrl, integrationSettings, providerUrl } from '../providers/context';
import { allowedEndpoint } from '../providers/endpoints';
import { getConnection as findConnection } from '../store/connections-repo';
import type { IntegrationItem } from '../store/integrations-repo';
import { completeSession, consumeState, getState, type OAuthStateItem } from '../store/oauth-state-repo';
import { browserMatches } from './browser-binding';
import { type StoredCredentials, storeVerifiedConnection } from './connections';
import { backTo, type CallbackError, connectPageUrl, hashState, invalid } from './sessions';
import { restorePending } from './status';

/**
 * GET /v1/oauth/callback, where providers send the user back: checks the browser, consumes
 * the state atomically, exchanges the code, asks the provider whose account (or installation)
 * it is, and stores or refreshes the connection; the session then cannot start again.
 */
export const callbackQuery = z.object({
  state: z.optional(z.string().check(z.maxLength(512))),
  code: z.optional(z.string().check(z.maxLength(4096))),
  error: z.optional(z.string().check(z.maxLength(200))),
  error_description: z.optional(z.string().check(z.maxLength(2000))),
  installation_id: z.optional(z.string().check(z.maxLength(40))),
  setup_action: z.optional(z.string().check(z.maxLength(40))),
});

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
    adapter: Account;
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
  const adapter = await loadAccount(integration.provider);
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
    connectionKeys: adapter.connectionKeys,
    syncs: adapter.manifest.syncs,
  });
  return {
    redirect: destination(st, { status: 'success', connection_id: connection.id }),
    connectionId: connection.id,
    accountName: connection.provider_account.name,
  };
};
