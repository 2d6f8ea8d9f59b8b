import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import { parseAnswer } from '../parse';
import type { Credentials, VerifiedAccount, VerifyContext } from '../types';
import { manifest } from './manifest';

const myself = z.object({
  accountId: z.string(),
  displayName: z.optional(z.string()),
  emailAddress: z.optional(z.string()),
  active: z.optional(z.boolean()),
});

const accessibleResources = z.array(
  z.object({ id: z.string(), name: z.string(), url: z.url(), scopes: z.optional(z.array(z.string())) }),
);

// Jira's own errors; the Atlassian API gateway (api.atlassian.com) answers {"code", "message"}.
const errorBody = z.object({
  errorMessages: z.optional(z.array(z.string())),
  message: z.optional(z.string()),
});

const failure = (res: HttpResponse, basic: boolean): ProviderError => {
  const body = errorBody.safeParse(res.jsonOrUndefined()).data;
  const messages = body?.errorMessages?.filter(Boolean) ?? [];
  if (messages.length > 0) return new ProviderError('rejected', messages.join(' '), { status: res.status });
  if (body?.message) return new ProviderError('rejected', body.message, { status: res.status });
  // Basic-auth failures come with an empty or HTML body; the reason is in the headers.
  // https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/
  if (res.status === 401 && basic) {
    return new ProviderError('rejected', 'Jira rejected the email/API token (401)', { status: 401 });
  }
  if (res.status === 403 && res.headers.get('x-authentication-denied-reason')?.includes('CAPTCHA')) {
    return new ProviderError(
      'rejected',
      'Jira asks for a CAPTCHA after failed logins: sign in to the site in a browser once, then retry (403).',
      { status: 403 },
    );
  }
  return new ProviderError('rejected', `Jira answered ${res.status}.`, { status: res.status });
};

/**
 * Basic auth talks to the site itself; OAuth 2.0 (3LO) goes through the gateway with the
 * cloud id, which verification finds (the `{cloud_id}` left in the manifest's URL).
 */
export const resolveBaseUrl = (config: Record<string, unknown>, credentials: Credentials): string => {
  if (credentials.type !== 'basic') return manifest.apiBaseUrl;
  if (typeof config.site !== 'string' || config.site === '') {
    throw new ProviderError(
      'rejected',
      'Jira needs config.site (e.g. acme.atlassian.net) for basic credentials',
    );
  }
  return `https://${config.site}`;
};

const account = (me: z.infer<typeof myself>) => ({
  id: me.accountId,
  name: me.displayName || me.emailAddress || me.accountId,
});

const verifyBasic = async (ctx: VerifyContext, email: string, apiToken: string): Promise<VerifiedAccount> => {
  const basic = Buffer.from(`${email}:${apiToken}`).toString('base64');
  // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-myself/#api-rest-api-3-myself-get
  const res = await ctx.http(`${ctx.baseUrl}/rest/api/3/myself`, {
    headers: { authorization: `Basic ${basic}` },
  });
  if (res.status !== 200) throw failure(res, true);
  const me = parseAnswer('Jira', myself, res, 'GET /rest/api/3/myself');
  return {
    account: account(me),
    ...(typeof ctx.config.site === 'string' ? { metadata: { site: ctx.config.site } } : {}),
  };
};

const verifyOAuth = async (ctx: VerifyContext, token: string): Promise<VerifiedAccount> => {
  const auth = { authorization: `Bearer ${token}` };
  let baseUrl = ctx.baseUrl;
  const metadata: Record<string, string> = {};
  let scopes: string[] | undefined;
  if (baseUrl.includes('{cloud_id}')) {
    // The token's sites: the one named in config.site, else the first.
    // https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/#3-1-get-the-cloudid-for-your-site
    const gateway = new URL(baseUrl).origin;
    const res = await ctx.http(`${gateway}/oauth/token/accessible-resources`, { headers: auth });
    if (res.status !== 200) throw failure(res, false);
    const sites = parseAnswer('Jira', accessibleResources, res, 'GET /oauth/token/accessible-resources');
    const site =
      typeof ctx.config.site === 'string'
        ? sites.find((s) => new URL(s.url).host === ctx.config.site)
        : sites[0];
    if (!site) {
      throw new ProviderError(
        'rejected',
        typeof ctx.config.site === 'string'
          ? `The token does not grant access to ${ctx.config.site}.`
          : 'The token does not grant access to any Jira site.',
      );
    }
    baseUrl = baseUrl.replace('{cloud_id}', encodeURIComponent(site.id));
    metadata.cloud_id = site.id;
    metadata.site = new URL(site.url).host;
    scopes = site.scopes;
  }
  // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-myself/#api-rest-api-3-myself-get
  const res = await ctx.http(`${baseUrl}/rest/api/3/myself`, { headers: auth });
  if (res.status !== 200) throw failure(res, false);
  const me = parseAnswer('Jira', myself, res, 'GET /rest/api/3/myself');
  return {
    account: account(me),
    ...(scopes ? { scopes } : {}),
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
  };
};

export const verifyCredentials = async (ctx: VerifyContext): Promise<VerifiedAccount> => {
  const c = ctx.credentials;
  switch (c.type) {
    case 'basic':
      return verifyBasic(ctx, c.username, c.password);
    case 'oauth2':
      return verifyOAuth(ctx, c.access_token);
    default:
      throw new ProviderError('rejected', `Jira does not accept ${c.type} credentials.`);
  }
};
