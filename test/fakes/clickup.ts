import type { Credentials } from '../../adapters/types';
import {
  type FakeReply,
  type ProviderFake,
  randomToken,
  registerSecrets,
  reply,
  startFakeServer,
} from './server';

/**
 * ClickUp API v2 for credential verification: GET /api/v2/user with the token bare in
 * Authorization (personal pk_… tokens and OAuth tokens alike), {"err","ECODE"} errors and
 * X-RateLimit-* headers.
 * https://developer.clickup.com/reference/getauthorizeduser
 */

export type ClickUpFake = ProviderFake<Credentials> & { oauth: Credentials };

export const startClickUpFake = async (): Promise<ClickUpFake> => {
  const userId = 81942317;
  const personal = `pk_${userId}_${randomToken(32).toUpperCase()}`;
  const oauthToken = `${userId}_${randomToken(40).toLowerCase()}`;
  const user = {
    id: userId,
    username: 'Grace Hopper',
    email: 'grace@acme.com',
    color: '#7b68ee',
    profilePicture: null,
    initials: 'GH',
    week_start_day: 1,
    global_font_support: false,
    timezone: 'Europe/London',
  };
  let remaining = 100;
  const limits = (r: FakeReply): FakeReply => ({
    ...r,
    headers: {
      'x-ratelimit-limit': '100',
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 60),
      ...r.headers,
    },
  });

  const server = await startFakeServer(
    (req) => {
      const auth = req.headers.authorization;
      if (!auth) return reply(400, { err: 'Authorization header required', ECODE: 'OAUTH_017' });
      // ClickUp does not strip a scheme: "Bearer pk_…" is an unknown token to it.
      if (auth !== personal && auth !== oauthToken)
        return reply(401, { err: 'Token invalid', ECODE: 'OAUTH_025' });
      remaining = Math.max(0, remaining - 1);
      if (req.method === 'GET' && req.path === '/api/v2/user') return limits(reply(200, { user }));
      return limits(reply(404, { err: 'Route not found', ECODE: 'APP_001' }));
    },
    reply(503, { err: 'Service unavailable', ECODE: 'APP_002' }),
  );

  return {
    ...server,
    apiBaseUrl: `${server.url}/api/v2`,
    valid: registerSecrets({ type: 'api_key', api_key: personal }),
    oauth: { type: 'oauth2', access_token: oauthToken },
    account: { id: String(user.id), name: user.username },
  };
};
