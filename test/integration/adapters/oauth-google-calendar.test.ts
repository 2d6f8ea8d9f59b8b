import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter } from '../../../adapters';
import { type GoogleCalendarFake, startGoogleCalendarFake } from '../../fakes/google-calendar';
import { randomToken } from '../../fakes/server';
import {
  authorizationUrl,
  authorize,
  consent,
  exchange,
  oauthOf,
  REDIRECT_URI,
  tokenContext,
  visit,
} from './oauth-consent';
import { expectProviderError, verify } from './verify-helpers';

let google: GoogleCalendarFake;

beforeAll(async () => {
  google = await startGoogleCalendarFake({ redirectUris: [REDIRECT_URI] });
});
afterAll(() => google.stop());

const P = 'google_calendar';
const defaultScopes = (await loadAdapter(P))?.manifest.auth.oauth2?.defaultScopes ?? [];
const oauthToken = (t: string) => ({ type: 'oauth2' as const, access_token: t });

describe('google_calendar authorization', () => {
  it('asks for offline access with the consent screen, PKCE S256, and gets a code back', async () => {
    const auth = authorizationUrl(P, google);
    const q = new URL(auth.url).searchParams;
    expect(q.get('access_type')).toBe('offline');
    expect(q.get('prompt')).toBe('consent');
    expect(q.get('include_granted_scopes')).toBe('true');
    expect(q.get('code_challenge_method')).toBe('S256');
    const back = await consent(auth);
    expect(back.get('code')).toMatch(/^4\/0A/);
    expect(back.get('scope')).toBe(defaultScopes.join(' '));
  });

  it('shows an error page to unknown clients and callbacks; access_denied when the user declines', async () => {
    const client = await visit(
      authorizationUrl(P, google, { clientId: '1-x.apps.googleusercontent.com' }).url,
    );
    expect(client.status).toBe(401);
    expect(client.body).toContain('invalid_client');
    const callback = await visit(authorizationUrl(P, google, { redirectUri: 'https://evil.test/cb' }).url);
    expect(callback).toMatchObject({ status: 400, location: undefined });
    expect(callback.body).toContain('redirect_uri_mismatch');
    google.denyNext();
    const declined = await consent(authorizationUrl(P, google));
    expect(declined.get('error')).toBe('access_denied');
    expect(declined.has('error_description')).toBe(false);
  });
});

describe('google_calendar exchangeCode', () => {
  it('returns an hour-long token and a refresh token; the primary calendar names the account', async () => {
    const auth = await authorize(P, google);
    const before = Date.now();
    const tokens = await exchange(P, google, auth);
    expect(google.requests.at(-1)).toMatchObject({ method: 'POST', path: '/token' });
    expect(google.requests.at(-1)?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(tokens).toEqual({
      accessToken: expect.stringMatching(/^ya29\./),
      refreshToken: expect.stringMatching(/^1\/\/0/),
      expiresAt: expect.any(String),
      scopes: defaultScopes,
    });
    expect(Date.parse(tokens.expiresAt as string) - before).toBeGreaterThan(3590_000);

    const verified = await verify(P, {
      credentials: oauthToken(tokens.accessToken),
      baseUrl: google.apiBaseUrl,
    });
    expect(verified).toEqual({ account: google.account, metadata: { time_zone: 'Europe/Berlin' } });
    expect(google.account).toEqual({ id: 'mia@acme.com', name: 'Mia Krystof' });
    expect(google.requests.at(-1)).toMatchObject({ method: 'GET', path: '/calendar/v3/calendars/primary' });
  });

  it("rejects a used code, a wrong secret, another redirect_uri and a bad verifier with Google's words", async () => {
    const auth = await authorize(P, google);
    await exchange(P, google, auth);
    const used = await expectProviderError(exchange(P, google, auth), 'rejected', {
      message: 'invalid_grant: Bad Request',
      status: 400,
    });
    expect(used.code).toBe('invalid_grant');

    const wrong = `GOCSPX-${randomToken(28)}`;
    const e = await expectProviderError(
      exchange(P, google, await authorize(P, google), { clientSecret: wrong }),
      'rejected',
      {
        message: 'invalid_client: Unauthorized',
        status: 401,
        secrets: [wrong, google.oauthClient.clientSecret],
      },
    );
    expect(e.code).toBe('invalid_client');

    await expectProviderError(
      exchange(P, google, await authorize(P, google), { redirectUri: 'https://connect.acme.test/other' }),
      'rejected',
      { message: 'redirect_uri_mismatch: Bad Request', status: 400 },
    );
    await expectProviderError(
      exchange(P, google, await authorize(P, google), { codeVerifier: null }),
      'rejected',
      { message: 'invalid_grant: Missing code verifier.' },
    );
    await expectProviderError(
      exchange(P, google, await authorize(P, google), { codeVerifier: 'y'.repeat(43) }),
      'rejected',
      { message: 'invalid_grant: Invalid code verifier.' },
    );
  });

  it('gives a refresh token only on first consent unless prompt=consent, and never without offline access', async () => {
    const fresh = await startGoogleCalendarFake();
    try {
      const noPrompt = { params: { prompt: null } };
      const first = await exchange(P, fresh, await authorize(P, fresh, noPrompt));
      expect(first.refreshToken).toBeTruthy();
      // Same user, same client, no consent screen: no refresh token (core keeps the old one).
      const second = await exchange(P, fresh, await authorize(P, fresh, noPrompt));
      expect(second.refreshToken).toBeUndefined();
      expect(second.accessToken).toBeTruthy();
      // The manifest's prompt=consent brings the screen, and a refresh token, back.
      const third = await exchange(P, fresh, await authorize(P, fresh));
      expect(third.refreshToken).toBeTruthy();
      // access_type=online (the default) never gets one.
      const online = await exchange(P, fresh, await authorize(P, fresh, { params: { access_type: null } }));
      expect(online.refreshToken).toBeUndefined();
      // After the user removes the app, the next authorization is a first consent again.
      fresh.revokeAccess();
      const again = await exchange(P, fresh, await authorize(P, fresh, noPrompt));
      expect(again.refreshToken).toBeTruthy();
    } finally {
      await fresh.stop();
    }
  });

  it('keeps the refresh token expiry of an app in testing as metadata', async () => {
    const testing = await startGoogleCalendarFake({ testing: true });
    try {
      const before = Date.now();
      const tokens = await exchange(P, testing, await authorize(P, testing));
      const at = Date.parse(tokens.metadata?.refresh_token_expires_at ?? '');
      expect(at - before).toBeGreaterThan(604_790_000);
      expect(at - before).toBeLessThan(604_810_000);
    } finally {
      await testing.stop();
    }
  });
});

describe('google_calendar refreshToken (no rotation)', () => {
  it('answers a new access token only; the same refresh token keeps working until access is revoked', async () => {
    const fresh = await startGoogleCalendarFake();
    try {
      const auth = await authorize(P, fresh);
      const first = await exchange(P, fresh, auth);
      const ctx = { ...tokenContext(fresh, auth.scopes), refreshToken: first.refreshToken as string };

      fresh.expireAccessTokens();
      await expectProviderError(
        verify(P, { credentials: oauthToken(first.accessToken), baseUrl: fresh.apiBaseUrl }),
        'rejected',
        {
          message: /^Request had invalid authentication credentials\./,
          status: 401,
          secrets: [first.accessToken],
        },
      );

      const second = await (await oauthOf(P)).refreshToken(ctx);
      expect(second).toEqual({
        accessToken: expect.stringMatching(/^ya29\./),
        expiresAt: expect.any(String),
        scopes: defaultScopes,
      });
      expect(
        (await verify(P, { credentials: oauthToken(second.accessToken), baseUrl: fresh.apiBaseUrl })).account,
      ).toEqual(fresh.account);
      const third = await (await oauthOf(P)).refreshToken(ctx);
      expect(third.accessToken).not.toBe(second.accessToken);
      expect(fresh.refreshCount()).toBe(2);

      fresh.revokeAccess();
      const revoked = await expectProviderError((await oauthOf(P)).refreshToken(ctx), 'rejected', {
        message: 'invalid_grant: Token has been expired or revoked.',
        status: 400,
        secrets: [ctx.refreshToken],
      });
      expect(revoked.code).toBe('invalid_grant');
      expect(fresh.refreshCount()).toBe(3);
    } finally {
      await fresh.stop();
    }
  });
});

describe('google_calendar verifyCredentials', () => {
  it('rejects a token without a calendar scope with the 403 message', async () => {
    // Without include_granted_scopes, or the calendar scopes granted earlier would be added.
    const auth = await authorize(P, google, {
      scopes: ['openid', 'email'],
      params: { include_granted_scopes: null },
    });
    const tokens = await exchange(P, google, auth);
    await expectProviderError(
      verify(P, { credentials: oauthToken(tokens.accessToken), baseUrl: google.apiBaseUrl }),
      'rejected',
      {
        message: 'Request had insufficient authentication scopes.',
        status: 403,
      },
    );
  });

  it('is unreachable when Google answers 503', async () => {
    google.setDown(true);
    try {
      await expectProviderError(
        verify(P, { credentials: google.valid, baseUrl: google.apiBaseUrl }),
        'unreachable',
        {
          status: 503,
        },
      );
    } finally {
      google.setDown(false);
    }
  });
});
