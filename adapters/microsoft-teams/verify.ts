import * as z from 'zod/mini';
import { isProviderError, ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import { parseAnswer } from '../parse';
import type { VerifiedAccount, VerifyContext } from '../types';

const me = z.object({
  id: z.string(),
  displayName: z.optional(z.nullable(z.string())),
  mail: z.optional(z.nullable(z.string())),
  userPrincipalName: z.optional(z.nullable(z.string())),
});

const organizations = z.object({
  value: z.array(z.object({ id: z.string(), displayName: z.optional(z.nullable(z.string())) })),
});

// Graph errors: {"error": {"code": "InvalidAuthenticationToken", "message": "…", "innerError": {…}}}
// https://learn.microsoft.com/en-us/graph/errors
const graphError = z.object({ error: z.object({ code: z.string(), message: z.optional(z.string()) }) });

const failure = (res: HttpResponse): ProviderError => {
  const e = graphError.safeParse(res.jsonOrUndefined()).data?.error;
  const message = e
    ? e.message
      ? `${e.code}: ${e.message}`
      : e.code
    : `Microsoft Graph answered ${res.status}.`;
  return new ProviderError('rejected', message, { status: res.status });
};

/**
 * The signed-in user's tenant, when Graph tells (work and school accounts). Personal
 * Microsoft accounts have none, and the answer only adds metadata, so any failure here
 * leaves it out rather than failing verification.
 * https://learn.microsoft.com/en-us/graph/api/organization-get
 */
const tenantOf = async (ctx: VerifyContext, auth: Record<string, string>) => {
  try {
    const res = await ctx.http(`${ctx.baseUrl}/organization?$select=id,displayName`, { headers: auth });
    if (res.status !== 200) return undefined;
    return organizations.safeParse(res.jsonOrUndefined()).data?.value[0];
  } catch (e) {
    if (isProviderError(e)) return undefined;
    throw e;
  }
};

export const verifyCredentials = async (ctx: VerifyContext): Promise<VerifiedAccount> => {
  const c = ctx.credentials;
  if (c.type !== 'oauth2') {
    throw new ProviderError('rejected', `Microsoft Teams does not accept ${c.type} credentials.`);
  }
  const auth = { authorization: `Bearer ${c.access_token}` };
  // https://learn.microsoft.com/en-us/graph/api/user-get
  const res = await ctx.http(`${ctx.baseUrl}/me?$select=id,displayName,mail,userPrincipalName`, {
    headers: auth,
  });
  if (res.status !== 200) throw failure(res);
  const user = parseAnswer('Microsoft Graph', me, res, 'GET /me');
  const tenant = await tenantOf(ctx, auth);
  const metadata: Record<string, string> = {};
  if (tenant) {
    metadata.tenant_id = tenant.id;
    if (tenant.displayName) metadata.tenant_name = tenant.displayName;
  }
  return {
    account: { id: user.id, name: user.displayName || user.mail || user.userPrincipalName || user.id },
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
  };
};
