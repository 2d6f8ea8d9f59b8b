import * as z from 'zod/mini';
import { isProviderError } from '../errors';
import { parseAnswer } from '../parse';
import type { VerifiedAccount, VerifyContext } from '../types';
import { bearer, failure } from './graph';

const me = z.object({
  id: z.string(),
  displayName: z.optional(z.nullable(z.string())),
  mail: z.optional(z.nullable(z.string())),
  userPrincipalName: z.optional(z.nullable(z.string())),
});

const organizations = z.object({
  value: z.array(z.object({ id: z.string(), displayName: z.optional(z.nullable(z.string())) })),
});

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
  const auth = bearer(ctx.credentials);
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
