import { randomUUID } from 'node:crypto';
import type { Credentials } from '../../adapters/types';
import {
  type FakeReply,
  type ProviderFake,
  randomHex,
  registerSecrets,
  reply,
  startFakeServer,
} from './server';

/**
 * Datadog's API for credential verification: GET /api/v1/validate checks DD-API-KEY alone
 * ({"valid": true}, 403 {"errors": ["Forbidden"]}); GET /api/v2/current_user needs both
 * keys and answers the user JSON:API style with its organization in `included`.
 * X-RateLimit-* headers as Datadog sends them on rate-limited endpoints.
 * https://docs.datadoghq.com/api/latest/authentication/
 */

export type DatadogFake = ProviderFake<Credentials> & { userId: string; orgPublicId: string };

export const startDatadogFake = async (): Promise<DatadogFake> => {
  const apiKey = randomHex(32);
  const appKey = randomHex(40);
  const userId = randomUUID();
  const org = { id: randomUUID(), name: 'Acme Production', public_id: 'a1b2c3d4e5f6' };
  const forbidden = reply(403, { errors: ['Forbidden'] });
  const limits = (r: FakeReply, name: string): FakeReply => ({
    ...r,
    headers: {
      'x-ratelimit-limit': '1000',
      'x-ratelimit-period': '60',
      'x-ratelimit-remaining': '999',
      'x-ratelimit-reset': '42',
      'x-ratelimit-name': name,
      ...r.headers,
    },
  });

  const server = await startFakeServer(
    (req) => {
      const apiOk = req.headers['dd-api-key'] === apiKey;
      if (req.method === 'GET' && req.path === '/api/v1/validate') {
        return apiOk ? limits(reply(200, { valid: true }), 'auth_api') : forbidden;
      }
      if (req.method === 'GET' && req.path === '/api/v2/current_user') {
        if (!apiOk || req.headers['dd-application-key'] !== appKey) return forbidden;
        return limits(
          reply(200, {
            data: {
              type: 'users',
              id: userId,
              attributes: {
                name: 'Lin Park',
                handle: 'lin@acme.com',
                email: 'lin@acme.com',
                status: 'Active',
                verified: true,
                disabled: false,
                service_account: false,
                mfa_enabled: true,
                created_at: '2024-06-01T12:00:00.000000+00:00',
              },
              relationships: {
                org: { data: { type: 'orgs', id: org.id } },
                roles: { data: [{ type: 'roles', id: 'f1624684-d87d-11e8-acac-efb4dbffab1c' }] },
              },
            },
            included: [
              {
                type: 'orgs',
                id: org.id,
                attributes: {
                  name: org.name,
                  public_id: org.public_id,
                  sharing: 'Disabled',
                  disabled: false,
                },
              },
              {
                type: 'roles',
                id: 'f1624684-d87d-11e8-acac-efb4dbffab1c',
                attributes: { name: 'Datadog Admin Role' },
              },
            ],
          }),
          'current_user',
        );
      }
      return reply(404, { errors: ['Not found'] });
    },
    reply(503, { errors: ['Service Unavailable'] }),
  );

  return {
    ...server,
    apiBaseUrl: server.url,
    valid: registerSecrets({ type: 'api_key', api_key: apiKey, app_key: appKey }),
    account: { id: org.id, name: org.name },
    userId,
    orgPublicId: org.public_id,
  };
};
