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
 * Linear's GraphQL endpoint for credential verification: personal API keys in a bare
 * Authorization header, OAuth tokens as Bearer; authentication failures and the rate limit
 * as GraphQL errors on HTTP 400, with X-RateLimit-Requests-* and complexity headers.
 * https://linear.app/developers/graphql
 */

export type LinearFake = ProviderFake<Credentials> & {
  oauth: Credentials;
  userId: string;
  /** Answers every request with Linear's RATELIMITED error. */
  setRateLimited(on: boolean): void;
};

const graphqlError = (message: string, code: string, type: string, userPresentableMessage: string) => ({
  errors: [{ message, extensions: { type, code, statusCode: 400, userPresentableMessage } }],
});

export const startLinearFake = async (): Promise<LinearFake> => {
  const apiKey = `lin_api_${randomToken(40)}`;
  const oauthToken = `lin_oauth_${randomToken(64).toLowerCase()}`;
  const viewer = { id: '2b8e8d52-5f9c-4d23-8a4e-6f0b2a1c9e11', name: 'Ada Lovelace', email: 'ada@acme.com' };
  const organization = { id: 'e4f1c0b2-7d3a-4f58-9b21-0c6d5e8a7f33', name: 'Acme', urlKey: 'acme' };
  let rateLimited = false;
  const resetAt = () => String(Date.now() + 45_000);
  const limits = (r: FakeReply, remaining: number): FakeReply => ({
    ...r,
    headers: {
      'x-ratelimit-requests-limit': '5000',
      'x-ratelimit-requests-remaining': String(remaining),
      'x-ratelimit-requests-reset': resetAt(),
      'x-complexity': '3',
      'x-ratelimit-complexity-limit': '3000000',
      'x-ratelimit-complexity-remaining': '2999997',
      ...r.headers,
    },
  });

  const server = await startFakeServer(
    (req) => {
      if (req.method !== 'POST' || req.path !== '/graphql') return reply(404, 'Not Found');
      const auth = req.headers.authorization ?? '';
      if (auth !== apiKey && auth !== `Bearer ${oauthToken}`) {
        return reply(
          400,
          graphqlError(
            'Authentication required, not authenticated',
            'AUTHENTICATION_ERROR',
            'authentication error',
            'You need to authenticate to access this operation.',
          ),
        );
      }
      if (rateLimited) {
        return limits(
          reply(
            400,
            graphqlError(
              'Rate limit exceeded',
              'RATELIMITED',
              'ratelimited',
              'You have exceeded the API rate limit. Please try again later.',
            ),
          ),
          0,
        );
      }
      let query = '';
      try {
        query = String((JSON.parse(req.body) as { query?: unknown }).query ?? '');
      } catch {
        return reply(400, {
          errors: [{ message: 'Unexpected token in JSON', extensions: { code: 'BAD_USER_INPUT' } }],
        });
      }
      if (!/\bviewer\b/.test(query) || !/\borganization\b/.test(query)) {
        return reply(400, {
          errors: [{ message: 'This fake only answers the viewer query', extensions: {} }],
        });
      }
      return limits(reply(200, { data: { viewer, organization } }), 4999);
    },
    reply(503, {
      errors: [{ message: 'Service Unavailable', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    }),
  );

  return {
    ...server,
    apiBaseUrl: `${server.url}/graphql`,
    valid: registerSecrets({ type: 'api_key', api_key: apiKey }),
    oauth: { type: 'oauth2', access_token: oauthToken },
    account: { id: organization.id, name: organization.name },
    userId: viewer.id,
    setRateLimited: (on) => {
      rateLimited = on;
    },
  };
};
