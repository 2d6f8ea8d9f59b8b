import { createSign } from 'node:crypto';
import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { type HttpResponse, parseRetryAfter } from '../http';
import { parseAnswer } from '../parse';
import type { IntegrationSettings, VerifiedAccount, VerifyContext } from '../types';

// GitHub refuses requests without a User-Agent (403), and pins behaviour by API version.
const baseHeaders = {
  accept: 'application/vnd.github+json',
  'x-github-api-version': '2022-11-28',
  'user-agent': 'integrations-service',
};

const errorBody = z.object({ message: z.optional(z.string()) });

const user = z.object({ id: z.number(), login: z.string(), type: z.optional(z.string()) });

const installation = z.object({
  id: z.number(),
  // Null for enterprise installations of some apps; organizations and users carry `login`,
  // enterprises `slug` and `name`.
  account: z.nullable(
    z.object({
      id: z.number(),
      login: z.optional(z.string()),
      slug: z.optional(z.string()),
      name: z.optional(z.nullable(z.string())),
    }),
  ),
  target_type: z.optional(z.string()),
  repository_selection: z.optional(z.string()),
  permissions: z.optional(z.record(z.string(), z.string())),
  suspended_at: z.optional(z.nullable(z.string())),
});

/**
 * A non-2xx answer as a ProviderError. GitHub signals its primary rate limit with 403 and
 * `x-ratelimit-remaining: 0` and secondary limits with 403 + `retry-after` (429 is handled by
 * the http client), so a 403 is not necessarily a refusal of the credentials.
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
 */
const failure = (res: HttpResponse, fallback: string): ProviderError => {
  const message = errorBody.safeParse(res.jsonOrUndefined()).data?.message ?? fallback;
  if (res.status === 403) {
    const retryAfter = parseRetryAfter(res.headers);
    if (retryAfter !== undefined) {
      return new ProviderError('rate_limited', message, { status: 403, retryAfterSeconds: retryAfter });
    }
    if (res.headers.get('x-ratelimit-remaining') === '0') {
      const reset = Number(res.headers.get('x-ratelimit-reset') ?? Number.NaN);
      return new ProviderError('rate_limited', message, {
        status: 403,
        ...(Number.isFinite(reset)
          ? { retryAfterSeconds: Math.max(0, Math.ceil(reset - Date.now() / 1000)) }
          : {}),
      });
    }
  }
  return new ProviderError('rejected', message, { status: res.status });
};

const verifyToken = async (ctx: VerifyContext, token: string): Promise<VerifiedAccount> => {
  // https://docs.github.com/en/rest/users/users#get-the-authenticated-user
  const res = await ctx.http(`${ctx.baseUrl}/user`, {
    headers: { ...baseHeaders, authorization: `Bearer ${token}` },
  });
  if (res.status !== 200) throw failure(res, `GitHub answered ${res.status}.`);
  const me = parseAnswer('GitHub', user, res, 'GET /user');
  // Classic tokens list their scopes here (empty when they have none); fine-grained tokens
  // and GitHub-App user tokens have no scopes, and GitHub leaves the header out.
  // https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps
  const header = res.headers.get('x-oauth-scopes');
  return {
    account: { id: String(me.id), name: me.login },
    ...(header !== null
      ? {
          scopes: header
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        }
      : {}),
    ...(me.type ? { metadata: { account_type: me.type } } : {}),
  };
};

const base64url = (s: string) => Buffer.from(s).toString('base64url');

/**
 * The app's JWT: RS256 over {iat, exp, iss}, backdated 60 s against clock drift and
 * expiring within GitHub's 10-minute limit.
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app
 */
const appJwt = (app: { appId: string; privateKey: string }): string => {
  const now = Math.floor(Date.now() / 1000);
  // A numeric app id goes as a number, as GitHub's own libraries send it; a client id as is.
  const iss = /^\d+$/.test(app.appId) ? Number(app.appId) : app.appId;
  const signingInput = `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${base64url(
    JSON.stringify({ iat: now - 60, exp: now + 540, iss }),
  )}`;
  let signature: string;
  try {
    signature = createSign('RSA-SHA256').update(signingInput).sign(app.privateKey, 'base64url');
  } catch {
    throw new ProviderError(
      'rejected',
      "The integration's GitHub App private key is not a valid PEM RSA key.",
    );
  }
  return `${signingInput}.${signature}`;
};

const requireApp = (integration: IntegrationSettings) => {
  const app = integration.app;
  if (!app?.appId || !app.privateKey) {
    throw new ProviderError(
      'rejected',
      'GitHub app installations need the integration to be set up with its GitHub App id and private key.',
    );
  }
  return { appId: app.appId, privateKey: app.privateKey };
};

const verifyInstallation = async (ctx: VerifyContext, installationId: string): Promise<VerifiedAccount> => {
  // Checked before it goes into a URL path.
  if (!/^\d+$/.test(installationId)) {
    throw new ProviderError('rejected', 'A GitHub installation_id is a number.');
  }
  const jwt = appJwt(requireApp(ctx.integration));
  // https://docs.github.com/en/rest/apps/apps#get-an-installation-for-the-authenticated-app
  const res = await ctx.http(`${ctx.baseUrl}/app/installations/${installationId}`, {
    headers: { ...baseHeaders, authorization: `Bearer ${jwt}` },
  });
  if (res.status === 404) {
    const message = errorBody.safeParse(res.jsonOrUndefined()).data?.message ?? 'Not Found';
    throw new ProviderError(
      'rejected',
      `GitHub App installation ${installationId} not found (GitHub: ${message}).`,
      { status: 404 },
    );
  }
  if (res.status !== 200) throw failure(res, `GitHub answered ${res.status}.`);
  const inst = parseAnswer('GitHub', installation, res, 'GET /app/installations/{id}');
  if (inst.suspended_at) {
    throw new ProviderError('rejected', `GitHub App installation ${installationId} is suspended.`, {
      status: 200,
    });
  }
  const login = inst.account?.login ?? inst.account?.slug ?? inst.account?.name ?? `installation ${inst.id}`;
  const metadata: Record<string, string> = { installation_id: String(inst.id) };
  if (inst.target_type) metadata.target_type = inst.target_type;
  if (inst.repository_selection) metadata.repository_selection = inst.repository_selection;
  return {
    account: { id: String(inst.account?.id ?? inst.id), name: login },
    // An installation has permissions, not scopes: reported as `permission:level`.
    ...(inst.permissions
      ? { scopes: Object.entries(inst.permissions).map(([name, level]) => `${name}:${level}`) }
      : {}),
    metadata,
  };
};

export const verifyCredentials = async (ctx: VerifyContext): Promise<VerifiedAccount> => {
  const c = ctx.credentials;
  switch (c.type) {
    case 'oauth2':
      return verifyToken(ctx, c.access_token);
    case 'app_install':
      return verifyInstallation(ctx, c.installation_id);
    default:
      throw new ProviderError('rejected', `GitHub does not accept ${c.type} credentials.`);
  }
};
