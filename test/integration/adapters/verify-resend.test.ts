import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../../adapters';
import { type ResendFake, startResendFake } from '../../fakes/resend';
import { randomToken } from '../../fakes/server';
import { expectProviderError, secretsOf, verify } from './verify-helpers';

let resend: ResendFake;

beforeAll(async () => {
  resend = await startResendFake({ domains: ['acme.test', 'Mail.Acme.test', 'news.acme.test'] });
});
afterAll(() => resend.stop());

const check = (credentials: Credentials, fake = resend) =>
  verify('resend', { credentials, baseUrl: fake.apiBaseUrl });

describe('resend verifyCredentials', () => {
  it("names the team by its oldest domain and keeps every domain's name for webhook routing", async () => {
    const before = resend.requests.length;
    expect(await check(resend.valid)).toEqual({
      account: resend.account,
      metadata: { domain_1_id: 'acme.test', domain_2_id: 'mail.acme.test', domain_3_id: 'news.acme.test' },
    });
    // Resend lists the newest domain first: the account is still the oldest.
    expect(resend.account).toEqual({ id: resend.domains()[0]?.id, name: 'acme.test' });
    const calls = resend.requests.slice(before);
    expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /domains']);
    expect(calls[0]?.headers.authorization).toBe(`Bearer ${secretsOf(resend.valid)[0]}`);
  });

  it('keeps the same account when a newer domain is added', async () => {
    resend.addDomain('eu.acme.test', 'pending');
    const again = await check(resend.valid);
    expect(again.account).toEqual(resend.account);
    expect(again.metadata?.domain_4_id).toBe('eu.acme.test');
  });

  it("names a team without domains by its oldest API key's id", async () => {
    const bare = await startResendFake({ domains: [] });
    try {
      const before = bare.requests.length;
      const verified = await check(bare.valid, bare);
      expect(verified).toEqual({ account: bare.account });
      expect(verified.account.id).not.toContain(secretsOf(bare.valid)[0]?.slice(3, 11));
      expect(bare.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([
        'GET /domains',
        'GET /api-keys',
      ]);
    } finally {
      await bare.stop();
    }
  });

  it("rejects an unknown key with Resend's message, never echoing it", async () => {
    const wrong: Credentials = { type: 'api_key', api_key: `re_${randomToken(8)}_${randomToken(24)}` };
    await expectProviderError(check(wrong), 'rejected', {
      message: 'API key is invalid',
      status: 401,
      secrets: secretsOf(wrong),
    });
  });

  it('rejects a sending-only key: it may not read the domains', async () => {
    await expectProviderError(check(resend.sendingOnly), 'rejected', {
      message: 'This API key is restricted to only send emails',
      status: 401,
      secrets: secretsOf(resend.sendingOnly),
    });
  });

  it('rejects credentials that are not an API key, calling nothing', async () => {
    const before = resend.requests.length;
    await expectProviderError(check({ type: 'oauth2', access_token: 'x' }), 'rejected', {
      message: 'Resend does not accept oauth2 credentials.',
    });
    expect(resend.requests.length).toBe(before);
  });

  it('is unreachable when Resend answers 5xx', async () => {
    resend.setDown(true);
    try {
      await expectProviderError(check(resend.valid), 'unreachable', { status: 500 });
    } finally {
      resend.setDown(false);
    }
  });

  it('is rate_limited on a 429, for as long as retry-after says', async () => {
    resend.failNext('rate_limit', 7);
    const e = await expectProviderError(check(resend.valid), 'rate_limited', { status: 429 });
    expect(e.retryAfterSeconds).toBe(7);
  });
});
