import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter, type OAuthContext, type OAuthFunctions } from '../../../adapters';
import { providerHttp } from '../../../core/platform/provider-http';
import { type FigmaFake, startFigmaFake } from '../../fakes/figma';
import { authorizationRequest, consent } from '../../fakes/oauth-grants';
import { randomToken } from '../../fakes/server';
import { expectProviderError, verify } from './verify-helpers';

const adapter = await loadAdapter('figma');
const settings = adapter?.manifest.auth.oauth2;
let figma: FigmaFake;

beforeAll(async () => {
  figma = await startFigmaFake();
});
afterAll(() => figma.stop());

const oauth = (): OAuthFunctions => {
  if (!adapter?.oauth) throw new Error('figma has no OAuth flavour');
  return adapter.oauth;
};

const context = (over: Partial<OAuthContext> = {}): OAuthContext => ({
  tokenUrl: figma.tokenUrl,
  clientId: figma.oauthClient.clientId,
  clientSecret: figma.oauthClient.clientSecret,
  redirectUri: figma.oauthClient.redirectUri,
  scopes: settings?.defaultScopes ?? [],
  http: providerHttp,
  ...over,
});

/** The user consents on Figma's page (the URL built from the manifest: comma scopes, PKCE S256). */
const authorize = async () => {
  if (!settings) throw new Error('figma has no oauth2 settings');
  const req = authorizationRequest(settings, figma);
  expect(new URL(req.url).searchParams.get('scope')).toBe(settings.defaultScopes.join(','));
  const back = await consent(req.url);
  expect(back.status).toBe(302);
  expect(back.location?.searchParams.get('state')).toBe(req.state);
  const code = back.location?.searchParams.get('code');
  if (!code) throw new Error(`no code in ${back.location?.toString()}`);
  return { code, ...(req.codeVerifier ? { codeVerifier: req.codeVerifier } : {}) };
};

describe('figma OAuth', () => {
  it('exchanges a PKCE code (client as HTTP Basic) for a 90-day token and a refresh token', async () => {
    const grant = await authorize();
    expect(grant.codeVerifier).toBeDefined();
    const before = figma.requests.length;
    const tokens = await oauth().exchangeCode({ ...context(), ...grant });
    const call = figma.requests.slice(before).find((r) => r.path === '/v1/oauth/token');
    expect(call?.headers.authorization).toMatch(/^Basic /);
    expect(tokens.accessToken).toMatch(/^figu_/);
    expect(tokens.refreshToken).toMatch(/^figr_/);
    expect(Date.parse(tokens.expiresAt ?? '') - Date.now()).toBeGreaterThan(89 * 86_400_000);
    const verified = await verify('figma', {
      credentials: { type: 'oauth2', access_token: tokens.accessToken },
      baseUrl: figma.apiBaseUrl,
    });
    expect(verified.account).toEqual(figma.account);
  });

  it('refuses a code without its verifier, and a wrong client secret, in Figma’s words', async () => {
    const { code } = await authorize();
    await expectProviderError(oauth().exchangeCode({ ...context(), code }), 'rejected', {
      message: 'Invalid code_verifier',
      status: 400,
    });
    const wrong = randomToken(30);
    await expectProviderError(
      oauth().exchangeCode({ ...context({ clientSecret: wrong }), ...(await authorize()) }),
      'rejected',
      { message: 'Invalid client credentials', status: 400, secrets: [wrong] },
    );
  });

  it('refreshes at /v1/oauth/refresh: a new access token, the refresh token kept', async () => {
    const tokens = await oauth().exchangeCode({ ...context(), ...(await authorize()) });
    const refresh = oauth().refreshToken;
    if (!refresh || !tokens.refreshToken) throw new Error('no refresh');
    const before = figma.requests.length;
    const again = await refresh({ ...context(), refreshToken: tokens.refreshToken });
    expect(figma.requests.slice(before).map((r) => r.path)).toEqual(['/v1/oauth/refresh']);
    expect(again.accessToken).not.toBe(tokens.accessToken);
    // Figma answers no refresh token: core keeps the one it has, which still works.
    expect(again.refreshToken).toBeUndefined();
    await refresh({ ...context(), refreshToken: tokens.refreshToken });
    expect(figma.refreshCount()).toBe(2);
    await verify('figma', {
      credentials: { type: 'oauth2', access_token: again.accessToken },
      baseUrl: figma.apiBaseUrl,
    });
  });

  it('an unknown refresh token is invalid_grant (the connection expires)', async () => {
    const refresh = oauth().refreshToken;
    if (!refresh) throw new Error('no refresh');
    const e = await expectProviderError(
      refresh({ ...context(), refreshToken: `figr_${randomToken(40)}` }),
      'rejected',
      { message: 'Invalid refresh token', status: 400 },
    );
    expect(e.code).toBe('invalid_grant');
  });
});
