import * as z from 'zod/mini';
import { loadDescription } from '../../adapters/descriptions';
import type { PlainManifest } from '../../adapters/types';
import { getIntegration } from '../integrations/read';
import { oauthCallbackUrl } from '../platform/config';
import { ApiError } from '../platform/errors';
import { newSessionId } from '../platform/ids';
import { providerUrl } from '../providers/context';
import { toApiError } from '../providers/errors';
import type { IntegrationItem } from '../store/integrations-repo';
import { putSession } from '../store/oauth-state-repo';
import { getSettings } from '../tenants/settings';
import { externalId, getConnection } from './read';
import {
  connectPageUrl,
  credentialModes,
  invalid,
  isCredentialMode,
  SESSION_TTL_MS,
  startUrl,
  TOMBSTONE_SECONDS,
} from './sessions';
import { markPending } from './status';

/**
 * POST /v1/connect/sessions: a connect session (ten minutes) carries who is connecting, to
 * what, with which flow and where to send them back; its `auth_url` is our own
 * `/v1/connect/start` (connect-start.ts), which binds the flow to the browser.
 */
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
    // Every provider verifies the credentials it declares (defineAccount() demands the code).
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
    // A declared app install comes with the check of whose it is (defineAccount() demands it);
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
