import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../../adapters';
import { type LinearFake, startLinearFake } from '../../fakes/linear';
import { randomToken } from '../../fakes/server';
import { expectProviderError, secretsOf, verify } from './verify-helpers';

let linear: LinearFake;

beforeAll(async () => {
  linear = await startLinearFake();
});
afterAll(() => linear.stop());

describe('linear verifyCredentials', () => {
  it('returns the organization, with the viewer as metadata; the key goes bare', async () => {
    const verified = await verify('linear', { credentials: linear.valid, baseUrl: linear.apiBaseUrl });
    expect(verified).toEqual({
      account: linear.account,
      metadata: { user_id: linear.userId, organization_id: linear.account.id, url_key: 'acme' },
    });
    const call = linear.requests.at(-1);
    expect(call).toMatchObject({ method: 'POST', path: '/graphql' });
    expect(call?.headers.authorization).toBe(secretsOf(linear.valid)[0]);
  });

  it('sends OAuth tokens as Bearer', async () => {
    const verified = await verify('linear', { credentials: linear.oauth, baseUrl: linear.apiBaseUrl });
    expect(verified.account).toEqual(linear.account);
    expect(linear.requests.at(-1)?.headers.authorization).toBe(`Bearer ${secretsOf(linear.oauth)[0]}`);
  });

  it("rejects a wrong key with Linear's user-presentable message, never echoing the key", async () => {
    const wrong: Credentials = { type: 'api_key', api_key: `lin_api_${randomToken(40)}` };
    await expectProviderError(
      verify('linear', { credentials: wrong, baseUrl: linear.apiBaseUrl }),
      'rejected',
      {
        message: 'You need to authenticate to access this operation.',
        status: 400,
        secrets: secretsOf(wrong),
      },
    );
  });

  it('rejects a personal key sent the OAuth way (Linear takes it bare only)', async () => {
    const asOAuth: Credentials = { type: 'oauth2', access_token: secretsOf(linear.valid)[0] ?? '' };
    await expectProviderError(
      verify('linear', { credentials: asOAuth, baseUrl: linear.apiBaseUrl }),
      'rejected',
      {
        secrets: secretsOf(asOAuth),
      },
    );
  });

  it('reports RATELIMITED (HTTP 400) as rate_limited with the reset time', async () => {
    linear.setRateLimited(true);
    try {
      const e = await expectProviderError(
        verify('linear', { credentials: linear.valid, baseUrl: linear.apiBaseUrl }),
        'rate_limited',
        { status: 400, secrets: secretsOf(linear.valid) },
      );
      expect(e.retryAfterSeconds).toBeGreaterThan(0);
      expect(e.retryAfterSeconds).toBeLessThanOrEqual(45);
    } finally {
      linear.setRateLimited(false);
    }
  });

  it('is unreachable when Linear answers 503', async () => {
    linear.setDown(true);
    try {
      await expectProviderError(
        verify('linear', { credentials: linear.valid, baseUrl: linear.apiBaseUrl }),
        'unreachable',
        { status: 503 },
      );
    } finally {
      linear.setDown(false);
    }
  });

  it('refuses basic credentials', async () => {
    const basic: Credentials = { type: 'basic', username: 'ada', password: 'analytical-engine' };
    await expectProviderError(
      verify('linear', { credentials: basic, baseUrl: linear.apiBaseUrl }),
      'rejected',
      {
        message: 'Linear does not accept basic credentials.',
        secrets: secretsOf(basic),
      },
    );
  });
});
