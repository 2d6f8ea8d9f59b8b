import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter } from '../../../adapters';
import { type MicrosoftTeamsFake, startMicrosoftTeamsFake } from '../../fakes/microsoft-teams';
import { authorizationUrl, authorize, exchange, oauthOf, REDIRECT_URI, tokenContext } from './oauth-consent';
import { expectProviderError } from './verify-helpers';

/**
 * Outlook signs in with the Microsoft identity platform (Entra ID v2.0), through the very
 * flow of the Teams adapter. The Entra part of the Microsoft fake (test/fakes/microsoft-teams.ts)
 * is the identity platform for both: authorize, redeem and refresh with Outlook's scopes.
 */

let entra: MicrosoftTeamsFake;
beforeAll(async () => {
  entra = await startMicrosoftTeamsFake({ redirectUris: [REDIRECT_URI] });
});
afterAll(() => entra.stop());

const defaultScopes = (await loadAdapter('outlook'))?.manifest.auth.oauth2?.defaultScopes ?? [];

describe('outlook oauth (Entra ID v2.0)', () => {
  it("asks for mail and calendar scopes with offline_access, PKCE S256, at the 'common' tenant", () => {
    expect(defaultScopes).toEqual([
      'offline_access',
      'User.Read',
      'Mail.Read',
      'Mail.Send',
      'Calendars.ReadWrite',
    ]);
    const url = new URL(authorizationUrl('outlook', entra).url);
    expect(url.pathname).toBe('/common/oauth2/v2.0/authorize');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('scope')).toBe(defaultScopes.join(' '));
  });

  it('redeems the code with the scopes again; refreshes keep them, and a revoked grant is invalid_grant', async () => {
    const auth = await authorize('outlook', entra);
    const tokens = await exchange('outlook', entra, auth);
    expect(entra.tokenRequests.at(-1)).toEqual({
      grantType: 'authorization_code',
      scope: defaultScopes.join(' '),
    });
    expect(tokens).toMatchObject({
      accessToken: expect.stringMatching(/^eyJ0eXAi/),
      refreshToken: expect.stringMatching(/^1\.AR8A/),
      scopes: defaultScopes.filter((s) => s !== 'offline_access'),
    });
    const flow = await oauthOf('outlook');
    const refreshed = await flow.refreshToken({
      ...tokenContext(entra, defaultScopes),
      refreshToken: tokens.refreshToken as string,
    });
    expect(entra.tokenRequests.at(-1)).toEqual({
      grantType: 'refresh_token',
      scope: defaultScopes.join(' '),
    });
    expect(refreshed.refreshToken).not.toBe(tokens.refreshToken);
    entra.revokeSignInSessions();
    const e = await expectProviderError(
      flow.refreshToken({
        ...tokenContext(entra, defaultScopes),
        refreshToken: refreshed.refreshToken as string,
      }),
      'rejected',
      { message: /AADSTS50173/, secrets: [refreshed.refreshToken as string] },
    );
    expect(e.code).toBe('invalid_grant');
  });
});
