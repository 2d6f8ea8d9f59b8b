import { randomUUID } from 'node:crypto';
import type { Credentials } from '../../adapters/types';
import { type DatadogOrg, datadogOrg, errors } from './datadog-org';
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
 * X-RateLimit-* headers as Datadog sends them on rate-limited endpoints; a limit reached is
 * 429 with X-RateLimit-Reset in seconds until the reset (not an epoch).
 * https://docs.datadoghq.com/api/latest/authentication/
 * https://docs.datadoghq.com/api/latest/rate-limits/
 *
 * The organization's monitors, SLOs and incidents (datadog-org.ts) need both keys; muting
 * needs the monitors_write permission, which the `readOnly` application key lacks.
 */

export type DatadogFailure = 'refuse' | 'down' | 'rate_limit';

/** The message of failNext('refuse'): Datadog's 403 for a permission the key's user lacks. */
export const DATADOG_REFUSAL = 'Failed permission authorization checks';

export type DatadogFake = ProviderFake<Credentials> &
  Omit<DatadogOrg, 'handle'> & {
    userId: string;
    orgPublicId: string;
    /** The same API key with an application key of a user with read permissions only. */
    readOnly: Credentials;
    /**
     * The next request (any endpoint) answers: `refuse` 403 DATADOG_REFUSAL, `down` 503,
     * `rate_limit` 429 with X-RateLimit-Reset `retryAfterSeconds` (default 30).
     */
    failNext(kind: DatadogFailure, retryAfterSeconds?: number): void;
  };

export const startDatadogFake = async (): Promise<DatadogFake> => {
  const apiKey = randomHex(32);
  const appKey = randomHex(40);
  const readOnlyAppKey = randomHex(40);
  const userId = randomUUID();
  const org = { id: randomUUID(), name: 'Acme Production', public_id: 'a1b2c3d4e5f6' };
  const forbidden = reply(403, { errors: ['Forbidden'] });
  const limits = (r: FakeReply, name: string, o: Record<string, string> = {}): FakeReply => ({
    ...r,
    headers: {
      'x-ratelimit-limit': '1000',
      'x-ratelimit-period': '60',
      'x-ratelimit-remaining': '999',
      'x-ratelimit-reset': '42',
      'x-ratelimit-name': name,
      ...o,
      ...r.headers,
    },
  });

  const orgData = datadogOrg({ email: 'lin@acme.com', handle: 'lin@acme.com', name: 'Lin Park' });
  const failures: { kind: DatadogFailure; retryAfter: number }[] = [];
  const fault = (kind: DatadogFailure, retryAfter: number): FakeReply => {
    if (kind === 'refuse') return errors(403, DATADOG_REFUSAL);
    if (kind === 'down') return errors(503, 'Service Unavailable');
    return limits(errors(429, 'Too many requests'), 'monitor_api', {
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(retryAfter),
    });
  };

  const server = await startFakeServer(
    (req) => {
      const failure = failures.shift();
      if (failure) return fault(failure.kind, failure.retryAfter);
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
      const appKeyOf = req.headers['dd-application-key'];
      if (!apiOk || (appKeyOf !== appKey && appKeyOf !== readOnlyAppKey)) return forbidden;
      return orgData.handle(req, appKeyOf === appKey) ?? reply(404, { errors: ['Not found'] });
    },
    reply(503, { errors: ['Service Unavailable'] }),
  );

  const { handle: _, ...data } = orgData;
  return {
    ...server,
    ...data,
    apiBaseUrl: server.url,
    valid: registerSecrets({ type: 'api_key', api_key: apiKey, app_key: appKey }),
    readOnly: registerSecrets({ type: 'api_key', api_key: apiKey, app_key: readOnlyAppKey }),
    failNext: (kind, retryAfterSeconds = 30) => {
      failures.push({ kind, retryAfter: retryAfterSeconds });
    },
    account: { id: org.id, name: org.name },
    userId,
    orgPublicId: org.public_id,
  };
};
