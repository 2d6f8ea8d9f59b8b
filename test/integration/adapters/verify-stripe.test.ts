import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../../adapters';
import { type StripeFake, startStripeFake } from '../../fakes/stripe';
import { expectProviderError, secretsOf, verify } from './verify-helpers';

let f: StripeFake;
beforeAll(async () => {
  f = await startStripeFake();
});
afterAll(() => f.stop());

const check = (credentials: Credentials) => verify('stripe', { credentials, baseUrl: f.apiBaseUrl });

describe('stripe verifyCredentials', () => {
  it('a secret key: the account from GET /v1/account, its business name, how it connected', async () => {
    const from = f.calls().length;
    expect(await check(f.valid)).toEqual({
      account: f.account,
      metadata: { account_id: f.account.id, auth: 'api_key', livemode: 'false' },
    });
    expect(f.calls().slice(from)).toEqual(['GET /v1/account']);
    expect(f.requests.at(-1)?.headers.authorization).toBe(`Bearer ${secretsOf(f.valid)[0]}`);
  });

  it('a restricted key that may not read the account: proven with GET /v1/balance, the account the refusal named', async () => {
    const from = f.calls().length;
    expect(await check(f.restricted)).toEqual({
      account: { id: f.account.id, name: f.account.id },
      metadata: { account_id: f.account.id, auth: 'api_key', livemode: 'false' },
    });
    expect(f.calls().slice(from)).toEqual(['GET /v1/account', 'GET /v1/balance']);
  });

  it('an unknown key: rejected with Stripe’s words, the masked key left out, pointed at api_key', async () => {
    const bad: Credentials = { type: 'api_key', api_key: 'sk_test_51AbCdEf000000000000009876' };
    const e = await expectProviderError(check(bad), 'rejected', {
      message: 'Invalid API Key provided: [key]',
      status: 401,
      secrets: ['9876', 'sk_test_51AbCdEf'],
    });
    expect(e.field).toBe('api_key');
    expect(e.code).toBe('api_key_invalid');
  });

  it('a restricted key that reads the account only: it connects (its syncs are refused later)', async () => {
    expect((await check(f.accountOnly)).account.id).toBe(f.account.id);
  });

  it('Stripe down or rate limiting: unreachable, rate_limited', async () => {
    f.failNext('down');
    await expectProviderError(check(f.valid), 'unreachable');
    f.failNext('rate_limit');
    const limited = await expectProviderError(check(f.valid), 'rate_limited');
    // Stripe sends no Retry-After unless asked here: core then waits its default.
    expect(limited.retryAfterSeconds).toBeUndefined();
  });
});
