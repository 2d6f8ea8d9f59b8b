import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter } from '../../../adapters';
import { providerHttp } from '../../../core/platform/provider-http';
import { type GmailFake, startGmailFake } from '../../fakes/gmail';
import { type GoogleCalendarFake, startGoogleCalendarFake } from '../../fakes/google-calendar';
import { authorize, exchange, oauthOf, REDIRECT_URI, tokenContext } from './oauth-consent';
import { expectProviderError, secretsOf, verify } from './verify-helpers';

const P = 'gmail';

let g: GmailFake;
/** Google's OAuth server (accounts.google.com + oauth2.googleapis.com), the one every Google API shares. */
let google: GoogleCalendarFake;
beforeAll(async () => {
  g = await startGmailFake();
  google = await startGoogleCalendarFake({ redirectUris: [REDIRECT_URI] });
});
afterAll(async () => {
  await g.stop();
  await google.stop();
});

describe('gmail verifyCredentials', () => {
  it('names the account by the mailbox address from users.getProfile', async () => {
    expect(await verify(P, { credentials: g.valid, baseUrl: g.apiBaseUrl })).toEqual({
      account: { id: 'mia@acme.com', name: 'mia@acme.com' },
    });
    expect(g.requests.at(-1)).toMatchObject({ method: 'GET', path: '/gmail/v1/users/me/profile' });
    expect(g.requests.at(-1)?.headers.authorization).toBe(
      `Bearer ${(g.valid as { access_token: string }).access_token}`,
    );
  });

  it('refuses a dead token with Google’s message and no secret; maps 5xx and rate limits', async () => {
    const dead = { type: 'oauth2' as const, access_token: 'ya29.a0dead' };
    await expectProviderError(verify(P, { credentials: dead, baseUrl: g.apiBaseUrl }), 'rejected', {
      message: /^Request had invalid authentication credentials/,
      status: 401,
      secrets: secretsOf(dead),
    });
    g.failNext('down');
    await expectProviderError(verify(P, { credentials: g.valid, baseUrl: g.apiBaseUrl }), 'unreachable');
    g.failNext('too_many_requests', { retryAfterSeconds: 3 });
    const limited = await expectProviderError(
      verify(P, { credentials: g.valid, baseUrl: g.apiBaseUrl }),
      'rate_limited',
    );
    expect(limited.retryAfterSeconds).toBe(3);
    await expectProviderError(
      verify(P, { credentials: { type: 'api_key', api_key: 'k' }, baseUrl: g.apiBaseUrl }),
      'rejected',
      { message: 'Gmail does not accept api_key credentials.' },
    );
  });
});

describe('gmail OAuth: Google’s, shared with Google Calendar', () => {
  const gmailScopes = [
    'https://www.googleapis.com/auth/gmail.readonly',
    'https://www.googleapis.com/auth/gmail.send',
  ];

  it('is Google Calendar’s very token flow and revocation, not a copy', async () => {
    const [gmail, calendar] = await Promise.all([loadAdapter(P), loadAdapter('google_calendar')]);
    expect(gmail?.oauth).toBeDefined();
    expect(gmail?.oauth).toBe(calendar?.oauth);
    expect(gmail?.revoke).toBe(calendar?.revoke);
    expect(gmail?.manifest.auth.oauth2?.defaultScopes).toEqual(gmailScopes);
  });

  it('exchanges a code for Gmail scopes at Google’s token endpoint, refreshes, and revokes the grant', async () => {
    const auth = await authorize(P, google);
    expect(new URL(auth.url).searchParams.get('scope')).toBe(gmailScopes.join(' '));
    const tokens = await exchange(P, google, auth);
    expect(tokens).toMatchObject({ accessToken: expect.stringMatching(/^ya29\./), scopes: gmailScopes });
    expect(tokens.refreshToken).toEqual(expect.any(String));
    const refreshed = await (await oauthOf(P)).refreshToken({
      ...tokenContext(google, gmailScopes),
      refreshToken: tokens.refreshToken as string,
    });
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);

    const revoke = (await loadAdapter(P))?.revoke;
    if (!revoke) throw new Error('gmail has no revoke');
    const credentials = {
      type: 'oauth2' as const,
      access_token: refreshed.accessToken,
      refresh_token: tokens.refreshToken as string,
    };
    const before = google.revocations();
    await revoke({ credentials, tokenUrl: google.tokenUrl, baseUrl: g.apiBaseUrl, http: providerHttp });
    expect(google.revocations()).toBe(before + 1);
    expect(google.requests.at(-1)).toMatchObject({ method: 'POST', path: '/revoke' });
    // Revoked already: Google's invalid_token, as a refusal.
    await expectProviderError(
      revoke({ credentials, tokenUrl: google.tokenUrl, baseUrl: g.apiBaseUrl, http: providerHttp }),
      'rejected',
      { message: 'invalid_token: Token expired or revoked' },
    );
  });
});
