import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter } from '../../../adapters';
import { type MicrosoftTeamsFake, startMicrosoftTeamsFake } from '../../fakes/microsoft-teams';
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

let ms: MicrosoftTeamsFake;

beforeAll(async () => {
  ms = await startMicrosoftTeamsFake({ redirectUris: [REDIRECT_URI] });
});
afterAll(() => ms.stop());

const defaultScopes = (await loadAdapter('microsoft_teams'))?.manifest.auth.oauth2?.defaultScopes ?? [];
const graphScopes = defaultScopes.filter((s) => s !== 'offline_access');
const oauthToken = (t: string) => ({ type: 'oauth2' as const, access_token: t });

describe('microsoft_teams authorization (Entra ID v2.0)', () => {
  it('goes to the common tenant with PKCE S256 and offline_access, and comes back with a code', async () => {
    const auth = authorizationUrl('microsoft_teams', ms);
    const url = new URL(auth.url);
    expect(url.pathname).toBe('/common/oauth2/v2.0/authorize');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('scope')?.split(' ')).toContain('offline_access');
    const back = await consent(auth);
    expect(back.get('code')).toBeTruthy();
    expect(back.get('session_state')).toBeTruthy();
  });

  it('refuses an unknown tenant, client or callback with an error page', async () => {
    const auth = authorizationUrl('microsoft_teams', ms);
    const otherTenant = await visit(auth.url.replace('/common/', '/fabrikam.onmicrosoft.com/'));
    expect(otherTenant.status).toBe(400);
    expect(otherTenant.body).toContain('AADSTS90002');
    const client = await visit(authorizationUrl('microsoft_teams', ms, { clientId: randomUUID() }).url);
    expect(client.body).toContain('AADSTS700016');
    const callback = await visit(
      authorizationUrl('microsoft_teams', ms, { redirectUri: 'https://evil.test/cb' }).url,
    );
    expect(callback).toMatchObject({ status: 400, location: undefined });
    expect(callback.body).toContain('AADSTS50011');
  });

  it('redirects with access_denied (AADSTS65004) when the user declines', async () => {
    ms.denyNext();
    const back = await consent(authorizationUrl('microsoft_teams', ms));
    expect(back.get('error')).toBe('access_denied');
    expect(back.get('error_subcode')).toBe('cancel');
    expect(back.get('error_description')).toMatch(/^AADSTS65004: /);
  });
});

describe('microsoft_teams exchangeCode', () => {
  it('redeems the code with the verifier and the scopes; /me names the user, /organization the tenant', async () => {
    const auth = await authorize('microsoft_teams', ms);
    const before = Date.now();
    const tokens = await exchange('microsoft_teams', ms, auth);
    expect(ms.requests.at(-1)).toMatchObject({ method: 'POST', path: '/common/oauth2/v2.0/token' });
    expect(ms.tokenRequests.at(-1)).toEqual({
      grantType: 'authorization_code',
      scope: defaultScopes.join(' '),
    });
    expect(tokens).toEqual({
      accessToken: expect.stringMatching(/^eyJ0eXAiOiJKV1Qi/),
      refreshToken: expect.stringMatching(/^1\.AR8A/),
      expiresAt: expect.any(String),
      scopes: graphScopes,
    });
    expect(Date.parse(tokens.expiresAt as string) - before).toBeGreaterThan(3590_000);

    const verified = await verify('microsoft_teams', {
      credentials: oauthToken(tokens.accessToken),
      baseUrl: ms.apiBaseUrl,
    });
    expect(verified).toEqual({
      account: ms.account,
      metadata: { tenant_id: ms.tenantId, tenant_name: ms.tenantName },
    });
    expect(ms.requests.slice(-2).map((r) => r.path)).toEqual(['/v1.0/me', '/v1.0/organization']);
  });

  it('asks for offline_access on the token request even when the scopes lack it', async () => {
    const auth = await authorize('microsoft_teams', ms);
    await (await oauthOf('microsoft_teams')).exchangeCode({
      ...tokenContext(ms, ['User.Read']),
      code: auth.code,
      codeVerifier: auth.codeVerifier as string,
    });
    expect(ms.tokenRequests.at(-1)?.scope).toBe('User.Read offline_access');
  });

  it('has no refresh token when offline_access was not consented to', async () => {
    const auth = await authorize('microsoft_teams', ms, { scopes: ['User.Read'] });
    const tokens = await exchange('microsoft_teams', ms, auth);
    expect(tokens.refreshToken).toBeUndefined();
    expect(tokens.scopes).toEqual(['User.Read']);
  });

  it('redeems at the tenant id as well as at common', async () => {
    const auth = await authorize('microsoft_teams', ms);
    const tokens = await (await oauthOf('microsoft_teams')).exchangeCode({
      ...tokenContext(ms, auth.scopes),
      tokenUrl: ms.tokenUrl.replace('{tenant}', ms.tenantId),
      code: auth.code,
      codeVerifier: auth.codeVerifier as string,
    });
    expect(tokens.refreshToken).toBeTruthy();
  });

  it('rejects a redeemed code, a wrong secret and a wrong verifier with the AADSTS message, without trace lines', async () => {
    const auth = await authorize('microsoft_teams', ms);
    await exchange('microsoft_teams', ms, auth);
    const redeemed = await expectProviderError(exchange('microsoft_teams', ms, auth), 'rejected', {
      message:
        'invalid_grant: AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
      status: 400,
    });
    expect(redeemed.code).toBe('invalid_grant');

    const wrong = `abc8Q~${randomToken(34)}`;
    const e = await expectProviderError(
      exchange('microsoft_teams', ms, await authorize('microsoft_teams', ms), { clientSecret: wrong }),
      'rejected',
      {
        message: /^invalid_client: AADSTS7000215: Invalid client secret provided\./,
        status: 401,
        secrets: [wrong, ms.oauthClient.clientSecret],
      },
    );
    expect(e.code).toBe('invalid_client');
    expect(e.providerMessage).not.toMatch(/Trace ID|Correlation ID/);

    await expectProviderError(
      exchange('microsoft_teams', ms, await authorize('microsoft_teams', ms), {
        codeVerifier: 'x'.repeat(43),
      }),
      'rejected',
      {
        message:
          'invalid_grant: AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.',
      },
    );
    await expectProviderError(
      exchange('microsoft_teams', ms, await authorize('microsoft_teams', ms), { codeVerifier: null }),
      'rejected',
      { message: /^invalid_grant: AADSTS501481: / },
    );
  });
});

describe('microsoft_teams refreshToken', () => {
  it('returns a new refresh token each time; the old one is not revoked, a sign-in revocation kills them all', async () => {
    const auth = await authorize('microsoft_teams', ms);
    const first = await exchange('microsoft_teams', ms, auth);
    const ctx = tokenContext(ms, auth.scopes);
    const count = ms.refreshCount();

    ms.expireAccessTokens();
    await expectProviderError(
      verify('microsoft_teams', { credentials: oauthToken(first.accessToken), baseUrl: ms.apiBaseUrl }),
      'rejected',
      {
        message: 'InvalidAuthenticationToken: Lifetime validation failed, the token is expired.',
        status: 401,
        secrets: [first.accessToken],
      },
    );

    const second = await (await oauthOf('microsoft_teams')).refreshToken({
      ...ctx,
      refreshToken: first.refreshToken as string,
    });
    expect(ms.refreshCount()).toBe(count + 1);
    expect(ms.tokenRequests.at(-1)).toEqual({ grantType: 'refresh_token', scope: defaultScopes.join(' ') });
    expect(second.refreshToken).toBeTruthy();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(
      (
        await verify('microsoft_teams', {
          credentials: oauthToken(second.accessToken),
          baseUrl: ms.apiBaseUrl,
        })
      ).account,
    ).toEqual(ms.account);

    // Entra does not revoke the refresh token it just replaced (core keeps the newest anyway).
    const again = await (await oauthOf('microsoft_teams')).refreshToken({
      ...ctx,
      refreshToken: first.refreshToken as string,
    });
    expect(again.accessToken).toBeTruthy();

    ms.revokeSignInSessions();
    const revoked = await expectProviderError(
      (await oauthOf('microsoft_teams')).refreshToken({
        ...ctx,
        refreshToken: second.refreshToken as string,
      }),
      'rejected',
      {
        message: /^invalid_grant: AADSTS50173: The provided grant has expired due to it being revoked/,
        status: 400,
        secrets: [second.refreshToken as string],
      },
    );
    expect(revoked.code).toBe('invalid_grant');
  });

  it('calls an unknown refresh token invalid_grant', async () => {
    const e = await expectProviderError(
      (await oauthOf('microsoft_teams')).refreshToken({
        ...tokenContext(ms, defaultScopes),
        refreshToken: `1.AR8A${randomToken(80)}`,
      }),
      'rejected',
      { message: 'invalid_grant: AADSTS9002313: Invalid request. Request is malformed or invalid.' },
    );
    expect(e.code).toBe('invalid_grant');
  });
});

describe('microsoft_teams verifyCredentials', () => {
  it("rejects a token Graph can't read with its InvalidAuthenticationToken error", async () => {
    const bad = randomToken(60);
    await expectProviderError(
      verify('microsoft_teams', { credentials: oauthToken(bad), baseUrl: ms.apiBaseUrl }),
      'rejected',
      {
        message: 'InvalidAuthenticationToken: IDX14100: JWT is not well formed, there are no dots (.).',
        status: 401,
        secrets: [bad],
      },
    );
  });

  it('is unreachable when Graph answers 503', async () => {
    ms.setDown(true);
    try {
      await expectProviderError(
        verify('microsoft_teams', { credentials: ms.valid, baseUrl: ms.apiBaseUrl }),
        'unreachable',
        {
          status: 503,
        },
      );
    } finally {
      ms.setDown(false);
    }
  });
});
