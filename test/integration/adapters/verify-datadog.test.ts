import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, loadAdapter } from '../../../adapters';
import { type DatadogFake, startDatadogFake } from '../../fakes/datadog';
import { randomHex } from '../../fakes/server';
import { expectProviderError, secretsOf, verify } from './verify-helpers';

let dd: DatadogFake;

beforeAll(async () => {
  dd = await startDatadogFake();
});
afterAll(() => dd.stop());

const keys = () => {
  if (dd.valid.type !== 'api_key' || !dd.valid.app_key) throw new Error('fake has no keys');
  return { api_key: dd.valid.api_key, app_key: dd.valid.app_key };
};

describe('datadog verifyCredentials', () => {
  it('checks the API key, then both keys, and returns the organization', async () => {
    const before = dd.requests.length;
    const verified = await verify('datadog', { credentials: dd.valid, baseUrl: dd.apiBaseUrl });
    expect(verified).toEqual({
      account: dd.account,
      metadata: { user_id: dd.userId, user_handle: 'lin@acme.com', org_public_id: dd.orgPublicId },
    });
    const [validate, me] = dd.requests.slice(before);
    expect(validate).toMatchObject({ method: 'GET', path: '/api/v1/validate' });
    expect(validate?.headers['dd-api-key']).toBe(keys().api_key);
    expect(validate?.headers['dd-application-key']).toBeUndefined();
    expect(me).toMatchObject({ method: 'GET', path: '/api/v2/current_user' });
    expect(me?.headers['dd-application-key']).toBe(keys().app_key);
  });

  it('rejects a wrong API key, saying it is the API key', async () => {
    const wrong: Credentials = { type: 'api_key', api_key: randomHex(32), app_key: keys().app_key };
    await expectProviderError(verify('datadog', { credentials: wrong, baseUrl: dd.apiBaseUrl }), 'rejected', {
      message: /^Datadog rejected the API key: Forbidden/,
      status: 403,
      secrets: secretsOf(wrong),
    });
  });

  it('rejects a wrong application key, saying it is the application key', async () => {
    const wrong: Credentials = { type: 'api_key', api_key: keys().api_key, app_key: randomHex(40) };
    await expectProviderError(verify('datadog', { credentials: wrong, baseUrl: dd.apiBaseUrl }), 'rejected', {
      message: 'Datadog rejected the application key: Forbidden',
      status: 403,
      secrets: secretsOf(wrong),
    });
  });

  it('rejects a missing application key without calling Datadog', async () => {
    const before = dd.requests.length;
    const apiOnly: Credentials = { type: 'api_key', api_key: keys().api_key };
    await expectProviderError(
      verify('datadog', { credentials: apiOnly, baseUrl: dd.apiBaseUrl }),
      'rejected',
      {
        message: /application key \(app_key\)/,
        secrets: secretsOf(apiOnly),
      },
    );
    expect(dd.requests.length).toBe(before);
  });

  it('is unreachable when Datadog answers 503', async () => {
    dd.setDown(true);
    try {
      await expectProviderError(
        verify('datadog', { credentials: dd.valid, baseUrl: dd.apiBaseUrl }),
        'unreachable',
        {
          status: 503,
        },
      );
    } finally {
      dd.setDown(false);
    }
  });

  it('refuses oauth2 credentials', async () => {
    const token: Credentials = { type: 'oauth2', access_token: randomHex(40) };
    await expectProviderError(verify('datadog', { credentials: token, baseUrl: dd.apiBaseUrl }), 'rejected', {
      message: 'Datadog does not accept oauth2 credentials.',
      secrets: secretsOf(token),
    });
  });
});

describe('datadog resolveBaseUrl', () => {
  it('is api.<site>, datadoghq.com by default', async () => {
    const resolve = (await loadAdapter('datadog'))?.resolveBaseUrl;
    expect(resolve?.({ site: 'datadoghq.eu' }, dd.valid)).toBe('https://api.datadoghq.eu');
    expect(resolve?.({ site: 'us5.datadoghq.com' }, dd.valid)).toBe('https://api.us5.datadoghq.com');
    expect(resolve?.({}, dd.valid)).toBe('https://api.datadoghq.com');
  });

  it('declares the sites in its config', async () => {
    const config = (await loadAdapter('datadog'))?.manifest.config;
    expect(config?.safeParse({ site: 'ddog-gov.com' }).success).toBe(true);
    expect(config?.safeParse({ site: 'evil.example.com' }).success).toBe(false);
  });
});
