import { createHash, randomBytes } from 'node:crypto';
import type { OAuth2Settings } from '../../adapters/types';
import { sensitive } from '../leak-watch';

/**
 * The bookkeeping of an OAuth 2.0 authorization server, shared by the fakes that play one
 * (GitHub, GitLab, Linear, ClickUp): the registered client and its callback URLs; codes that
 * are single use, short lived and bound to the client, redirect_uri, scopes and PKCE
 * challenge they were issued for; access tokens a test can make expire; refresh tokens that
 * rotate and are single use. Each fake keeps the wire to itself: paths, parameter names,
 * error bodies and statuses as its provider sends them.
 * https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 * https://www.rfc-editor.org/rfc/rfc7636#section-4.6
 */

/** The callback URL the fakes register unless told otherwise. */
export const defaultRedirectUri = 'https://app.example.test/v1/oauth/callback';

export type PkceMethod = 'S256' | 'plain';
export type PkceChallenge = { value: string; method: PkceMethod };

export type GrantSettings = {
  clientId: string;
  clientSecret: string;
  /**
   * The callback URLs registered for the client. Absent: any absolute http(s) URL is accepted,
   * as if the app were registered with whatever callback the test's service uses; the token
   * endpoint still wants the redirect_uri the code was issued for.
   */
  redirectUris: string[] | undefined;
  /** Whether a registered callback admits a redirect_uri; exact match unless the provider says otherwise. */
  redirectMatches?: (registered: string, given: string) => boolean;
  codeTtlSeconds: number;
  /** Absent: access tokens never expire. */
  accessTokenTtlSeconds?: number;
  /** Whether a grant comes with a refresh token, rotated (and the old one spent) on every use. */
  refreshTokens: boolean;
  refreshTokenTtlSeconds?: number;
  /** Whether a refresh revokes the access token that came with the refresh token used. */
  refreshRevokesAccessToken: boolean;
  newCode: () => string;
  newAccessToken: () => string;
  /** Required with `refreshTokens`. */
  newRefreshToken?: () => string;
};

export type IssuedTokens = {
  accessToken: string;
  refreshToken?: string;
  expiresIn?: number;
  refreshExpiresIn?: number;
  scopes: string[];
};

export type CodeProblem =
  | 'unknown_code'
  | 'used_code'
  | 'expired_code'
  | 'client_mismatch'
  | 'redirect_mismatch'
  | 'pkce_missing'
  | 'pkce_mismatch';
export type RefreshProblem = 'unknown' | 'used' | 'expired' | 'client_mismatch';
export type AccessState = { state: 'valid' | 'expired' | 'revoked'; scopes: string[] };

/** What every OAuth fake exposes to a test, beside its provider-specific controls. */
export type OAuthFakeControls = {
  /**
   * The fake's OAuth client. `redirectUri`: its first registered callback URL (the
   * `redirectUris` option), else `defaultRedirectUri`, which tests may use freely.
   */
  oauthClient: { clientId: string; clientSecret: string; redirectUri: string };
  /** Full URLs for an integration's `endpoints.authorization_url` / `endpoints.token_url`. */
  authorizationUrl: string;
  tokenUrl: string;
  /** The next authorization is refused by the user: a redirect with `error=access_denied`. */
  denyNext(): void;
  /** Every code issued so far is past its lifetime. */
  expireCodes(): void;
};

/** For providers with refresh tokens. */
export type RefreshControls = {
  /** Refreshes that succeeded. */
  refreshCount(): number;
  /** Every access token issued so far has expired: API calls with it answer 401. */
  expireAccessTokens(): void;
};

type CodeGrant = {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  challenge: PkceChallenge | undefined;
  expiresAt: number;
  used: boolean;
  /** Tokens issued for this code, revoked if the code is presented again (RFC 6749 §4.1.2). */
  issued: string[];
};
type AccessGrant = { scopes: string[]; expiresAt: number | undefined; revoked: boolean };
type RefreshGrant = {
  clientId: string;
  scopes: string[];
  expiresAt: number | undefined;
  used: boolean;
  accessToken: string;
};

export const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

const defaultMatch = (registered: string, given: string) => registered === given;

export const createGrants = (settings: GrantSettings) => {
  const registered = settings.redirectUris;
  const matches = settings.redirectMatches ?? defaultMatch;
  const wellFormed = (uri: string) => URL.canParse(uri) && /^https?:$/.test(new URL(uri).protocol);
  const codes = new Map<string, CodeGrant>();
  const access = new Map<string, AccessGrant>();
  const refresh = new Map<string, RefreshGrant>();
  let denyNext = false;
  let refreshes = 0;
  sensitive(settings.clientSecret);

  const issue = (scopes: string[]): IssuedTokens => {
    const now = Date.now();
    const accessToken = sensitive(settings.newAccessToken());
    const ttl = settings.accessTokenTtlSeconds;
    access.set(accessToken, {
      scopes,
      expiresAt: ttl === undefined ? undefined : now + ttl * 1000,
      revoked: false,
    });
    if (!settings.refreshTokens || !settings.newRefreshToken) {
      return { accessToken, scopes, ...(ttl !== undefined ? { expiresIn: ttl } : {}) };
    }
    const refreshToken = sensitive(settings.newRefreshToken());
    const rttl = settings.refreshTokenTtlSeconds;
    refresh.set(refreshToken, {
      clientId: settings.clientId,
      scopes,
      expiresAt: rttl === undefined ? undefined : now + rttl * 1000,
      used: false,
      accessToken,
    });
    return {
      accessToken,
      refreshToken,
      scopes,
      ...(ttl !== undefined ? { expiresIn: ttl } : {}),
      ...(rttl !== undefined ? { refreshExpiresIn: rttl } : {}),
    };
  };

  return {
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    /** The registered callback GitHub falls back to; `defaultRedirectUri` when none is registered. */
    redirectUri: registered?.[0] ?? defaultRedirectUri,
    redirectAllowed: (uri: string) =>
      wellFormed(uri) && (registered === undefined || registered.some((r) => matches(r, uri))),
    knowsClient: (clientId: string | null | undefined) => clientId === settings.clientId,
    clientAuthenticates: (clientId: string | null | undefined, secret: string | null | undefined) =>
      clientId === settings.clientId && secret === settings.clientSecret,

    denyNext: () => {
      denyNext = true;
    },
    /** Whether this authorization is the one to refuse (the flag is spent). */
    takeDenial: (): boolean => {
      const deny = denyNext;
      denyNext = false;
      return deny;
    },

    issueCode: (grant: { redirectUri: string; scopes: string[]; challenge?: PkceChallenge }): string => {
      const code = settings.newCode();
      codes.set(code, {
        clientId: settings.clientId,
        redirectUri: grant.redirectUri,
        scopes: grant.scopes,
        challenge: grant.challenge,
        expiresAt: Date.now() + settings.codeTtlSeconds * 1000,
        used: false,
        issued: [],
      });
      return code;
    },

    /**
     * The checks of a code exchange, in the order servers apply them. `redirectUri`
     * undefined means the request did not carry one (GitHub's is optional).
     */
    redeemCode: (req: {
      code: string;
      clientId: string;
      redirectUri: string | undefined;
      codeVerifier: string | undefined;
    }): { ok: true; tokens: IssuedTokens } | { ok: false; problem: CodeProblem } => {
      const grant = codes.get(req.code);
      if (!grant) return { ok: false, problem: 'unknown_code' };
      if (grant.used) {
        for (const token of grant.issued) {
          const a = access.get(token);
          if (a) a.revoked = true;
          const r = refresh.get(token);
          if (r) r.used = true;
        }
        return { ok: false, problem: 'used_code' };
      }
      if (grant.expiresAt <= Date.now()) return { ok: false, problem: 'expired_code' };
      if (grant.clientId !== req.clientId) return { ok: false, problem: 'client_mismatch' };
      if (req.redirectUri !== undefined && req.redirectUri !== grant.redirectUri) {
        return { ok: false, problem: 'redirect_mismatch' };
      }
      if (grant.challenge) {
        if (!req.codeVerifier) return { ok: false, problem: 'pkce_missing' };
        const derived = grant.challenge.method === 'S256' ? s256(req.codeVerifier) : req.codeVerifier;
        if (derived !== grant.challenge.value) return { ok: false, problem: 'pkce_mismatch' };
      }
      grant.used = true;
      const tokens = issue(grant.scopes);
      grant.issued.push(tokens.accessToken, ...(tokens.refreshToken ? [tokens.refreshToken] : []));
      return { ok: true, tokens };
    },

    redeemRefresh: (req: {
      refreshToken: string;
      clientId: string;
    }): { ok: true; tokens: IssuedTokens } | { ok: false; problem: RefreshProblem } => {
      const grant = refresh.get(req.refreshToken);
      if (!grant) return { ok: false, problem: 'unknown' };
      if (grant.used) return { ok: false, problem: 'used' };
      if (grant.expiresAt !== undefined && grant.expiresAt <= Date.now())
        return { ok: false, problem: 'expired' };
      if (grant.clientId !== req.clientId) return { ok: false, problem: 'client_mismatch' };
      grant.used = true;
      if (settings.refreshRevokesAccessToken) {
        const old = access.get(grant.accessToken);
        if (old) old.revoked = true;
      }
      refreshes += 1;
      return { ok: true, tokens: issue(grant.scopes) };
    },

    /** What the API makes of a bearer token the token endpoint issued; undefined if it did not. */
    accessState: (token: string | undefined): AccessState | undefined => {
      const grant = token === undefined ? undefined : access.get(token);
      if (!grant) return undefined;
      if (grant.revoked) return { state: 'revoked', scopes: grant.scopes };
      if (grant.expiresAt !== undefined && grant.expiresAt <= Date.now()) {
        return { state: 'expired', scopes: grant.scopes };
      }
      return { state: 'valid', scopes: grant.scopes };
    },

    /**
     * Revokes the grant an access token belongs to (the token and the refresh tokens issued
     * with it); false when the token endpoint never issued it.
     */
    revokeGrant: (token: string): boolean => {
      const grant = access.get(token);
      if (!grant) return false;
      grant.revoked = true;
      for (const r of refresh.values()) if (r.accessToken === token) r.used = true;
      return true;
    },

    refreshCount: () => refreshes,
    expireAccessTokens: () => {
      const past = Date.now() - 1000;
      for (const grant of access.values()) grant.expiresAt = past;
    },
    expireCodes: () => {
      const past = Date.now() - 1000;
      for (const grant of codes.values()) grant.expiresAt = past;
    },
  };
};

export type Grants = ReturnType<typeof createGrants>;

/** The PKCE parameters of an authorization request, or why they are malformed. */
export const pkceOf = (
  query: URLSearchParams,
  methods: readonly PkceMethod[],
): { challenge: PkceChallenge | undefined } | { problem: string } => {
  const value = query.get('code_challenge');
  const method = query.get('code_challenge_method') ?? 'plain';
  if (!value) return { challenge: undefined };
  if (!(methods as readonly string[]).includes(method)) {
    return { problem: `The code_challenge_method must be one of ${methods.join(', ')}.` };
  }
  return { challenge: { value, method: method as PkceMethod } };
};

/** `base?k=v&…`, keeping whatever query the base URL already has. */
export const withQuery = (base: string, params: Record<string, string | null | undefined>): string => {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) url.searchParams.set(k, v);
  return url.toString();
};

/** A token request's parameters: form or JSON body (and, for providers that read them, the query). */
export const tokenParams = (
  req: { body: string; headers: Record<string, string>; query: URLSearchParams },
  fromQuery = false,
): URLSearchParams => {
  const params = new URLSearchParams(fromQuery ? req.query : undefined);
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) {
    try {
      const body = JSON.parse(req.body) as Record<string, unknown>;
      for (const [k, v] of Object.entries(body)) if (typeof v === 'string') params.set(k, v);
    } catch {
      // Not JSON after all: the server reads no parameters from it.
    }
  } else {
    for (const [k, v] of new URLSearchParams(req.body)) params.set(k, v);
  }
  return params;
};

/** HTTP Basic client credentials (RFC 6749 §2.3.1), when the request carries them. */
export const basicClient = (
  authorization: string | undefined,
): { id: string; secret: string } | undefined => {
  const m = /^Basic (\S+)$/i.exec(authorization ?? '');
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return {
    id: decodeURIComponent(decoded.slice(0, i)),
    secret: decodeURIComponent(decoded.slice(i + 1)),
  };
};

/** A provider's HTML error page: the authorize endpoint never redirects to an unverified URI. */
export const errorPage = (title: string, message: string): string =>
  `<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1><p>${message}</p></body></html>`;

/** An authorization request as core builds it: what the test keeps to finish the flow. */
export type AuthorizationRequest = { url: string; state: string; codeVerifier?: string };

/**
 * The authorization URL core builds from a manifest's OAuth2 settings (scopes joined by its
 * separator, its extra parameters, PKCE S256 when it says `pkce`), pointed at a fake.
 * `params` adds or (null) removes parameters, to send what core would not.
 */
export const authorizationRequest = (
  settings: OAuth2Settings,
  fake: { authorizationUrl: string; oauthClient: { clientId: string; redirectUri: string } },
  o: { scopes?: string[]; params?: Record<string, string | null> } = {},
): AuthorizationRequest => {
  const url = new URL(fake.authorizationUrl);
  const p = url.searchParams;
  const state = randomBytes(24).toString('base64url');
  const scopes = o.scopes ?? settings.defaultScopes;
  p.set('client_id', fake.oauthClient.clientId);
  p.set('redirect_uri', fake.oauthClient.redirectUri);
  p.set('response_type', 'code');
  if (scopes.length) p.set('scope', scopes.join(settings.scopeSeparator));
  for (const [k, v] of Object.entries(settings.authorizationParams ?? {})) p.set(k, v);
  p.set('state', state);
  let codeVerifier: string | undefined;
  if (settings.pkce) {
    codeVerifier = randomBytes(32).toString('base64url');
    p.set('code_challenge', s256(codeVerifier));
    p.set('code_challenge_method', 'S256');
  }
  for (const [k, v] of Object.entries(o.params ?? {})) {
    if (v === null) p.delete(k);
    else p.set(k, v);
  }
  return { url: url.toString(), state, ...(codeVerifier ? { codeVerifier } : {}) };
};

/** A browser whose user clicks "Authorize": opens the URL and stops at the redirect back. */
export const consent = async (url: string): Promise<{ status: number; location: URL | undefined }> => {
  const res = await fetch(url, { redirect: 'manual' });
  await res.arrayBuffer();
  const location = res.headers.get('location');
  return { status: res.status, location: location ? new URL(location) : undefined };
};
