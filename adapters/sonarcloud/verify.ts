import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { parseAnswer } from '../parse';
import type { VerifiedAccount, VerifyContext } from '../types';
import { bearer, failure, REJECTED_TOKEN } from './web-api';

const validation = z.object({ valid: z.boolean() });

// Anonymous callers get 200 {"isLoggedIn": false}, not a 401.
const currentUser = z.object({
  isLoggedIn: z.boolean(),
  login: z.optional(z.string()),
  name: z.optional(z.string()),
});

export const verifyCredentials = async (ctx: VerifyContext): Promise<VerifiedAccount> => {
  const headers = bearer(ctx);

  // Answers 200 {"valid": false} for an unknown token rather than 401.
  // https://sonarcloud.io/web_api/api/authentication/validate
  const validate = await ctx.http(`${ctx.baseUrl}/api/authentication/validate`, { headers });
  if (validate.status !== 200) throw failure(validate);
  if (!parseAnswer('SonarCloud', validation, validate, 'GET /api/authentication/validate').valid) {
    throw new ProviderError('rejected', REJECTED_TOKEN, { status: 200 });
  }

  // `validate` also says valid for anonymous access on instances that allow it, so the
  // user behind the token is what proves it.
  // https://sonarcloud.io/web_api/api/users/current
  const res = await ctx.http(`${ctx.baseUrl}/api/users/current`, { headers });
  if (res.status !== 200) throw failure(res);
  const me = parseAnswer('SonarCloud', currentUser, res, 'GET /api/users/current');
  if (!me.isLoggedIn || !me.login) throw new ProviderError('rejected', REJECTED_TOKEN, { status: 200 });
  return {
    // The login is the user's stable, unique key on SonarCloud (e.g. jdoe@github).
    account: { id: me.login, name: me.name || me.login },
    ...(typeof ctx.config.organization === 'string'
      ? { metadata: { organization: ctx.config.organization } }
      : {}),
  };
};
