import * as z from 'zod/mini';
import { ProviderError } from './errors';
import type { HttpResponse } from './http';
import type { OAuthContext, OAuthFunctions, TokenSet } from './types';

/**
 * The OAuth 2.0 token request (authorization code and refresh grants), written once and
 * configured by data. By default it is RFC 6749's: a form POST with the client credentials
 * among the parameters (client_secret_post), a JSON answer, errors as
 * `{ error, error_description }`. A provider whose endpoint departs from it says how in
 * options rather than writing its own request; what is left in its oauth.ts is that data
 * and whatever is truly its own (Slack's nested tokens).
 * https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * https://www.rfc-editor.org/rfc/rfc6749#section-6
 */

export type Grant = 'authorization_code' | 'refresh_token';

/** An error answer, read from whatever shape the provider gives it: its code (if any) and what it says. */
export type OAuthErrorAnswer = { error?: string; message: string };

export type TokenEndpoint = {
  /** The provider's name in messages. */
  provider: string;
  /**
   * How the parameters travel: RFC 6749's form body, a JSON body (Atlassian), or the query
   * string of the POST (ClickUp). @default 'form'
   */
  encoding?: 'form' | 'json' | 'query';
  /**
   * How the client authenticates: its id and secret among the parameters (client_secret_post),
   * or HTTP Basic — `basic` form-encodes both before joining them as RFC 6749 §2.3.1 says,
   * `basic_raw` joins them as they are (Slack). @default 'params'
   */
  clientAuth?: 'params' | 'basic' | 'basic_raw';
  /** Headers beside `accept: application/json` (GitHub wants a User-Agent). */
  headers?: Record<string, string>;
  /** Parameters a grant sends beyond RFC 6749's (Microsoft's `scope` on both, GitLab's `redirect_uri` on refreshes). */
  params?: (ctx: OAuthContext, grant: Grant) => Record<string, string>;
  /** RFC 6749 parameters the endpoint does not take (ClickUp's: only the code and the client). */
  omit?: readonly ('grant_type' | 'redirect_uri')[];
  /**
   * Reads an error the provider answers in its own shape (ClickUp's `{ err, ECODE }`, Slack's
   * `{ ok: false, error }`), tried before RFC 6749's. Errors are looked for in every answer,
   * 200 included: GitHub and Slack answer errors with HTTP 200.
   */
  readError?: (body: unknown) => OAuthErrorAnswer | undefined;
  /**
   * The provider's names for a refresh token gone for good, answered on a refresh as RFC
   * 6749's `invalid_grant` (core then marks the connection expired): GitHub's
   * `bad_refresh_token`, Slack's `token_revoked`, … or a test of the error.
   */
  invalidGrant?: readonly string[] | ((e: OAuthErrorAnswer) => boolean);
  /**
   * Reads a successful answer the standard reader can't (Slack's tokens nested under
   * `authed_user`); undefined: not a token answer (→ unreachable).
   */
  readTokens?: (body: unknown) => TokenSet | undefined;
  /** False for providers without a refresh grant (ClickUp: its tokens never expire). @default true */
  refreshes?: boolean;
};

export const expiresAtFrom = (
  expiresIn: number | string | undefined,
  now = Date.now(),
): string | undefined => {
  const secs = typeof expiresIn === 'string' ? Number(expiresIn) : expiresIn;
  return secs !== undefined && Number.isFinite(secs) && secs > 0
    ? new Date(now + secs * 1000).toISOString()
    : undefined;
};

const numberish = z.union([z.number(), z.string()]);
const scopeList = z.union([z.string(), z.array(z.string())]);

/**
 * RFC 6749 §5.1, read leniently where providers differ: `expires_in` as a number or a string,
 * `scope` space- or comma-separated (GitHub, Slack) or an array (Linear's older apps), or
 * named `scopes` (Bitbucket); `refresh_token_expires_in` (GitHub-App user tokens, Google
 * apps in testing) kept as when the connection will need the user again.
 */
const tokenAnswer = z.object({
  access_token: z.string().check(z.minLength(1)),
  refresh_token: z.optional(z.string()),
  expires_in: z.optional(numberish),
  refresh_token_expires_in: z.optional(numberish),
  scope: z.optional(scopeList),
  scopes: z.optional(scopeList),
});

/** Granted scopes from a `scope` value in any of the shapes above; empty says nothing. */
export const scopesOf = (scope: string | string[] | undefined): string[] =>
  (Array.isArray(scope) ? scope : (scope ?? '').split(/[\s,]+/)).map((s) => s.trim()).filter(Boolean);

const readStandardTokens = (body: unknown): TokenSet | undefined => {
  const a = tokenAnswer.safeParse(body).data;
  if (!a) return undefined;
  const expiresAt = expiresAtFrom(a.expires_in);
  const refreshExpiresAt = expiresAtFrom(a.refresh_token_expires_in);
  const scopes = scopesOf(a.scope ?? a.scopes);
  return {
    accessToken: a.access_token,
    ...(a.refresh_token ? { refreshToken: a.refresh_token } : {}),
    ...(expiresAt ? { expiresAt } : {}),
    ...(scopes.length > 0 ? { scopes } : {}),
    // Not secret: when the refresh token stops working and the user must connect again.
    ...(refreshExpiresAt ? { metadata: { refresh_token_expires_at: refreshExpiresAt } } : {}),
  };
};

const errorAnswer = z.object({
  error: z.string().check(z.minLength(1)),
  error_description: z.optional(z.string()),
});

/** RFC 6749 §5.2. Entra appends "Trace ID: …" lines to the description: its first line is the message. */
const readStandardError = (body: unknown): OAuthErrorAnswer | undefined => {
  const e = errorAnswer.safeParse(body).data;
  if (!e) return undefined;
  const description = e.error_description?.split(/\r?\n/)[0]?.trim();
  return { error: e.error, message: description ? `${e.error}: ${description}` : e.error };
};

/**
 * An RFC 6749 §5.2 error answer as a ProviderError `rejected` with the provider's words (RFC
 * 7009 revocation endpoints answer errors the same way), or its status when it said nothing.
 */
export const oauthFailure = (res: HttpResponse, provider: string): ProviderError => {
  const e = readStandardError(bodyOf(res));
  return e
    ? new ProviderError('rejected', e.message, { status: res.status, ...(e.error ? { code: e.error } : {}) })
    : new ProviderError('rejected', `${provider} refused the request (HTTP ${res.status}).`, {
        status: res.status,
      });
};

const formBody = (text: string): Record<string, string> => Object.fromEntries(new URLSearchParams(text));

/**
 * The answer as an object, JSON or form-encoded: GitHub answers a form unless asked for JSON,
 * and a proxy or an older GitHub Enterprise Server may still, under a wrong content type too.
 */
const bodyOf = (res: HttpResponse): unknown => {
  if ((res.headers.get('content-type') ?? '').includes('application/x-www-form-urlencoded')) {
    return formBody(res.text);
  }
  const json = res.jsonOrUndefined();
  if (json === undefined && /^[\w.-]+=/.test(res.text.trim())) return formBody(res.text.trim());
  return json;
};

const revokedBy = (o: TokenEndpoint, e: OAuthErrorAnswer): boolean => {
  if (e.error === 'invalid_grant') return true;
  const aliases = o.invalidGrant;
  if (aliases === undefined) return false;
  return typeof aliases === 'function' ? aliases(e) : e.error !== undefined && aliases.includes(e.error);
};

const tokenRequest = async (
  o: TokenEndpoint,
  ctx: OAuthContext,
  grant: Grant,
  own: Record<string, string>,
): Promise<TokenSet> => {
  const params: Record<string, string> = {
    ...(o.omit?.includes('grant_type') ? {} : { grant_type: grant }),
    ...own,
    ...o.params?.(ctx, grant),
  };
  const headers: Record<string, string> = { accept: 'application/json', ...o.headers };
  const auth = o.clientAuth ?? 'params';
  if (auth === 'params') {
    params.client_id = ctx.clientId;
    params.client_secret = ctx.clientSecret;
  } else {
    const encode = auth === 'basic' ? encodeURIComponent : (s: string) => s;
    const client = `${encode(ctx.clientId)}:${encode(ctx.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(client).toString('base64')}`;
  }
  let url = ctx.tokenUrl;
  let body: URLSearchParams | Record<string, string> | undefined;
  const encoding = o.encoding ?? 'form';
  if (encoding === 'query') {
    const u = new URL(url);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    url = u.toString();
  } else if (encoding === 'json') {
    // An object body goes out as JSON (application/json): the shared http client does that.
    body = params;
  } else {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(params);
  }
  const res = await ctx.http(url, { method: 'POST', headers, ...(body !== undefined ? { body } : {}) });

  const answer = bodyOf(res);
  const refused = o.readError?.(answer) ?? readStandardError(answer);
  if (refused) {
    const code = grant === 'refresh_token' && revokedBy(o, refused) ? 'invalid_grant' : refused.error;
    throw new ProviderError('rejected', refused.message, {
      status: res.status,
      ...(code !== undefined ? { code } : {}),
    });
  }
  if (res.status !== 200) {
    throw new ProviderError('rejected', `${o.provider} refused the token request (HTTP ${res.status}).`, {
      status: res.status,
    });
  }
  const tokens = (o.readTokens ?? readStandardTokens)(answer);
  if (!tokens) {
    throw new ProviderError(
      'unreachable',
      `${o.provider} answered the token request with an unexpected body.`,
      {
        status: res.status,
      },
    );
  }
  return tokens;
};

/** The authorization-code and refresh grants of a token endpoint described by `o`. */
export const oauth2Flow = (o: TokenEndpoint): OAuthFunctions => ({
  exchangeCode: (ctx) =>
    tokenRequest(o, ctx, 'authorization_code', {
      code: ctx.code,
      ...(o.omit?.includes('redirect_uri') ? {} : { redirect_uri: ctx.redirectUri }),
      ...(ctx.codeVerifier ? { code_verifier: ctx.codeVerifier } : {}),
    }),
  ...(o.refreshes === false
    ? {}
    : {
        refreshToken: (ctx: OAuthContext & { refreshToken: string }) =>
          tokenRequest(o, ctx, 'refresh_token', { refresh_token: ctx.refreshToken }),
      }),
});
