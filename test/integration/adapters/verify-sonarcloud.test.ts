import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../../adapters';
import { randomHex } from '../../fakes/server';
import { type SonarCloudFake, startSonarCloudFake } from '../../fakes/sonarcloud';
import { expectProviderError, secretsOf, verify } from './verify-helpers';

let sc: SonarCloudFake;

beforeAll(async () => {
  sc = await startSonarCloudFake();
});
afterAll(() => sc.stop());

describe('sonarcloud verifyCredentials', () => {
  it('validates the token, then returns the user behind it', async () => {
    const before = sc.requests.length;
    const verified = await verify('sonarcloud', {
      credentials: sc.valid,
      baseUrl: sc.apiBaseUrl,
      config: { organization: 'acme' },
    });
    expect(verified).toEqual({ account: sc.account, metadata: { organization: 'acme' } });
    const calls = sc.requests.slice(before);
    expect(calls.map((r) => r.path)).toEqual(['/api/authentication/validate', '/api/users/current']);
    for (const c of calls) expect(c.headers.authorization).toBe(`Bearer ${secretsOf(sc.valid)[0]}`);
  });

  it('rejects a token SonarCloud calls invalid (200 {"valid": false}), never echoing it', async () => {
    const wrong: Credentials = { type: 'api_key', api_key: randomHex(40) };
    await expectProviderError(
      verify('sonarcloud', { credentials: wrong, baseUrl: sc.apiBaseUrl }),
      'rejected',
      {
        message: 'SonarCloud rejected the token',
        secrets: secretsOf(wrong),
      },
    );
  });

  it('rejects a token the server ignores (valid as anonymous, but nobody logged in)', async () => {
    const legacy = await startSonarCloudFake({ ignoreBearer: true });
    try {
      await expectProviderError(
        verify('sonarcloud', { credentials: legacy.valid, baseUrl: legacy.apiBaseUrl }),
        'rejected',
        { message: 'SonarCloud rejected the token', secrets: secretsOf(legacy.valid) },
      );
    } finally {
      await legacy.stop();
    }
  });

  it('is unreachable when SonarCloud answers 503', async () => {
    sc.setDown(true);
    try {
      await expectProviderError(
        verify('sonarcloud', { credentials: sc.valid, baseUrl: sc.apiBaseUrl }),
        'unreachable',
        { status: 503 },
      );
    } finally {
      sc.setDown(false);
    }
  });

  it('refuses oauth2 credentials', async () => {
    const token: Credentials = { type: 'oauth2', access_token: randomHex(40) };
    await expectProviderError(
      verify('sonarcloud', { credentials: token, baseUrl: sc.apiBaseUrl }),
      'rejected',
      {
        message: 'SonarCloud does not accept oauth2 credentials.',
        secrets: secretsOf(token),
      },
    );
  });
});
