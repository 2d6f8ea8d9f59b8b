import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import { parseAnswer } from '../parse';
import type { VerifiedAccount, VerifyContext } from '../types';

const validation = z.object({ valid: z.boolean() });

// Anonymous callers get 200 {"isLoggedIn": false}, not a 401.
const currentUser = z.object({
  isLoggedIn: z.boolean(),
  login: z.optional(z.string()),
  name: z.optional(z.string()),
});

// Sonar's error shape: {"errors": [{"msg": "…"}]}.
const errorBody = z.object({ errors: z.array(z.object({ msg: z.string() })) });

const rejectedToken = 'SonarCloud rejected the token';

const failure = (res: HttpResponse): ProviderError => {
  const messages = errorBody.safeParse(res.jsonOrUndefined()).data?.errors.map((e) => e.msg) ?? [];
  const message =
    messages.length > 0
      ? messages.join(' ')
      : res.status === 401
        ? rejectedToken
        : `SonarCloud answered ${res.status}.`;
  return new ProviderError('rejected', message, { status: res.status });
};

export const verifyCredentials = async (ctx: VerifyContext): Promise<VerifiedAccount> => {
  const c = ctx.credentials;
  if (c.type !== 'api_key')
    throw new ProviderError('rejected', `SonarCloud does not accept ${c.type} credentials.`);
  const headers = { authorization: `Bearer ${c.api_key}` };

  // Answers 200 {"valid": false} for an unknown token rather than 401.
  // https://sonarcloud.io/web_api/api/authentication/validate
  const validate = await ctx.http(`${ctx.baseUrl}/api/authentication/validate`, { headers });
  if (validate.status !== 200) throw failure(validate);
  if (!parseAnswer('SonarCloud', validation, validate, 'GET /api/authentication/validate').valid) {
    throw new ProviderError('rejected', rejectedToken, { status: 200 });
  }

  // `validate` also says valid for anonymous access on instances that allow it, so the
  // user behind the token is what proves it.
  // https://sonarcloud.io/web_api/api/users/current
  const res = await ctx.http(`${ctx.baseUrl}/api/users/current`, { headers });
  if (res.status !== 200) throw failure(res);
  const me = parseAnswer('SonarCloud', currentUser, res, 'GET /api/users/current');
  if (!me.isLoggedIn || !me.login) throw new ProviderError('rejected', rejectedToken, { status: 200 });
  return {
    // The login is the user's stable, unique key on SonarCloud (e.g. jdoe@github).
    account: { id: me.login, name: me.name || me.login },
    ...(typeof ctx.config.organization === 'string'
      ? { metadata: { organization: ctx.config.organization } }
      : {}),
  };
};
