import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { parseAnswer } from '../parse';
import type { VerifiedAccount, VerifyContext } from '../types';
import { manifest } from './manifest';
import { authHeaders, reason } from './rest';

const user = z.object({ id: z.number(), username: z.string(), state: z.optional(z.string()) });

const tokenSelf = z.object({
  scopes: z.array(z.string()),
  expires_at: z.optional(z.nullable(z.string())),
});

/** Self-managed instances live at `config.host`; the API is under /api/v4 there as on gitlab.com. */
export const resolveBaseUrl = (config: Record<string, unknown>): string =>
  typeof config.host === 'string' && config.host !== ''
    ? `${config.host.replace(/\/+$/, '')}/api/v4`
    : manifest.apiBaseUrl;

export const verifyCredentials = async (ctx: VerifyContext): Promise<VerifiedAccount> => {
  const c = ctx.credentials;
  const auth = authHeaders(c);

  // https://docs.gitlab.com/api/users/#get-the-current-user
  const res = await ctx.http(`${ctx.baseUrl}/user`, { headers: auth });
  if (res.status !== 200) throw new ProviderError('rejected', reason(res), { status: res.status });
  const me = parseAnswer('GitLab', user, res, 'GET /user');
  const verified: VerifiedAccount = { account: { id: String(me.id), name: me.username } };
  if (c.type !== 'api_key') return verified;

  // Only a personal (or project/group) access token can describe itself; instances older
  // than GitLab 15.5 answer 404, and some deny it with 403: then the scopes stay unknown.
  // https://docs.gitlab.com/api/personal_access_tokens/#get-details-on-a-personal-access-token
  const self = await ctx.http(`${ctx.baseUrl}/personal_access_tokens/self`, { headers: auth });
  if (self.status === 404 || self.status === 403) return verified;
  if (self.status !== 200) throw new ProviderError('rejected', reason(self), { status: self.status });
  const token = parseAnswer('GitLab', tokenSelf, self, 'GET /personal_access_tokens/self');
  return {
    ...verified,
    scopes: token.scopes,
    ...(token.expires_at ? { metadata: { token_expires_at: token.expires_at } } : {}),
  };
};
