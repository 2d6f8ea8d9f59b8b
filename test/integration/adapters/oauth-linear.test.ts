import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter, type OAuthContext, type OAuthFunctions } from '../../../adapters';
import { providerHttp } from '../../../core/platform/provider-http';
import { type LinearFake, startLinearFake } from '../../fakes/linear';
import { authorizationRequest, consent, defaultRedirectUri } from '../../fakes/oauth-grants';
import { randomHex } from '../../fakes/server';
import { expectProviderError, verify } from './verify-helpers';

const adapter = await loadAdapter('linear');
const settings = adapter?.manifest.auth.oauth2;
let lin: LinearFake;
let legacy: LinearFake; // an app made before December 2023: `scope` as an array

beforeAll(async () => {
  const redirectUris = [defaultRedirectUri];
  [lin, legacy] = await Promise.all([
    startLinearFake({ redirectUris }),
    startLinearFake({ redirectUris, legacyScopeArray: true }),
  ]);
});
afterAll(() => Promise.all([lin.stop(), legacy.stop()]));

const oauth = (): OAuthFunctions => {
  if (!adapter?.oauth) throw new Error('linear has no OAuth flavour');
  return adapter.oauth;
};

const context = (fake: LinearFake, over: Partial<OAuthContext> = {}): OAuthContext => ({
  tokenUrl: fake.tokenUrl,
  clientId: fake.oauthClient.clientId,
  clientSecret: fake.oauthClient.clientSecret,
  redirectUri: fake.oauthClient.redirectUri,
  scopes: settings?.defaultScopes ?? [],
  http: providerHttp,
  ...over,
});

const authorize = async (fake: LinearFake) => {
  if (!settings) throw new Error('linear has no oauth2 settings');
  const req = authorizationRequest(settings, fake);
  const back = await consent(req.url);
  expect(back.status).toBe(302);
  expect(back.location?.searchParams.get('state')).toBe(req.state);
  const code = back.location?.searchParams.get('code');
  if (!code) throw new Error(`no code in ${back.location?.toString()}`);
  return { code, ...(req.codeVerifier ? { codeVerifier: req.codeVerifier } : {}) };
};

const connect = async (fake = lin) => oauth().exchangeCode({ ...context(fake), ...(await authorize(fake)) });

const refresh = (refreshToken: string, over: Partial<OAuthContext> = {}) => {
  const fn = oauth().refreshToken;
  if (!fn) throw new Error('linear has no refreshToken');
  return fn({ ...context(lin, over), refreshToken });
};

const verifyToken = (accessToken: string, fake = lin) =>
  verify('linear', { credentials: { type: 'oauth2', access_token: accessToken }, baseUrl: fake.apiBaseUrl });

describe('linear OAuth: code exchange', () => {
  it('exchanges a PKCE code (scopes comma-separated) for a 24-hour token and a refresh token', async () => {
    const grant = await authorize(lin);
    expect(grant.codeVerifier).toBeDefined();
    const before = Date.now();
    const tokens = await oauth().exchangeCode({ ...context(lin), ...grant });
    expect(tokens.accessToken).toMatch(/^lin_oauth_[0-9a-f]{64}$/);
    expect(tokens.refreshToken).toBeDefined();
    expect(Date.parse(tokens.expiresAt ?? '') - before).toBeGreaterThanOrEqual(86399_000 - 1000);
    expect(Date.parse(tokens.expiresAt ?? '') - Date.now()).toBeLessThanOrEqual(86399_000);
    // Answered space-separated ("read write") although asked with commas.
    expect(tokens.scopes).toEqual(['read', 'write']);
    // Linear wants a form-encoded token request.
    const call = lin.requests.at(-1);
    expect(call).toMatchObject({ method: 'POST', path: '/oauth/token' });
    expect(call?.headers['content-type']).toBe('application/x-www-form-urlencoded');

    const verified = await verifyToken(tokens.accessToken);
    expect(verified.account).toEqual(lin.account);
  });

  it('reads `scope` as an array, as Linear answers apps made before December 2023', async () => {
    const tokens = await connect(legacy);
    expect(tokens.scopes).toEqual(['read', 'write']);
    expect((await verifyToken(tokens.accessToken, legacy)).account).toEqual(legacy.account);
  });

  it('refuses scopes joined by spaces: Linear takes them comma-separated', async () => {
    if (!settings) throw new Error('no settings');
    const req = authorizationRequest(settings, lin, { params: { scope: 'read write' } });
    const back = await consent(req.url);
    expect(back.location?.searchParams.get('error')).toBe('invalid_scope');
    expect(back.location?.searchParams.get('state')).toBe(req.state);
  });

  it('rejects a wrong client secret as invalid_client, never echoing it', async () => {
    const wrong = randomHex(32);
    const e = await expectProviderError(
      oauth().exchangeCode({ ...context(lin, { clientSecret: wrong }), ...(await authorize(lin)) }),
      'rejected',
      { message: 'invalid_client: Client authentication failed.', status: 401, secrets: [wrong] },
    );
    expect(e.code).toBe('invalid_client');
  });

  it('rejects a wrong PKCE verifier, a wrong redirect_uri, a reused and an expired code as invalid_grant', async () => {
    const grant = await authorize(lin);
    const e = await expectProviderError(
      oauth().exchangeCode({ ...context(lin), code: grant.code, codeVerifier: randomHex(43) }),
      'rejected',
      { message: 'invalid_grant: The code_verifier does not match the code_challenge.', status: 400 },
    );
    expect(e.code).toBe('invalid_grant');
    await expectProviderError(
      oauth().exchangeCode({ ...context(lin, { redirectUri: 'https://evil.example.test/cb' }), ...grant }),
      'rejected',
      { message: 'invalid_grant: The redirect_uri does not match the authorization request.' },
    );
    await oauth().exchangeCode({ ...context(lin), ...grant });
    await expectProviderError(oauth().exchangeCode({ ...context(lin), ...grant }), 'rejected', {
      message: 'invalid_grant: The authorization code is invalid or expired.',
    });
    const late = await authorize(lin);
    lin.expireCodes();
    await expectProviderError(oauth().exchangeCode({ ...context(lin), ...late }), 'rejected', {
      message: 'invalid_grant: The authorization code is invalid or expired.',
    });
  });

  it('shows an error page instead of redirecting to an unregistered redirect_uri', async () => {
    if (!settings) throw new Error('no settings');
    const req = authorizationRequest(settings, lin, {
      params: { redirect_uri: 'https://evil.example.test/cb' },
    });
    const back = await consent(req.url);
    expect(back.status).toBe(400);
    expect(back.location).toBeUndefined();
  });

  it('sends the user back with error=access_denied and the state when they refuse', async () => {
    if (!settings) throw new Error('no settings');
    lin.denyNext();
    const req = authorizationRequest(settings, lin);
    const back = await consent(req.url);
    expect(back.status).toBe(302);
    expect(back.location?.searchParams.get('error')).toBe('access_denied');
    expect(back.location?.searchParams.get('state')).toBe(req.state);
    expect(back.location?.searchParams.has('code')).toBe(false);
  });
});

describe('linear OAuth: rotating refresh tokens', () => {
  it('refreshes into a new token and a new refresh token; the old refresh token is spent', async () => {
    const first = await connect();
    const count = lin.refreshCount();
    const next = await refresh(first.refreshToken ?? '');
    expect(lin.refreshCount()).toBe(count + 1);
    expect(next.accessToken).not.toBe(first.accessToken);
    expect(next.refreshToken).toBeDefined();
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect(next.expiresAt).toBeDefined();
    expect((await verifyToken(next.accessToken)).account).toEqual(lin.account);

    const e = await expectProviderError(refresh(first.refreshToken ?? ''), 'rejected', {
      message: 'invalid_grant: The refresh token is invalid, expired or revoked.',
      status: 400,
      secrets: [first.refreshToken ?? '', next.refreshToken ?? ''],
    });
    expect(e.code).toBe('invalid_grant');
    expect(lin.refreshCount()).toBe(count + 1);
  });

  it('proves a refresh: an expired token is refused, the refreshed one accepted', async () => {
    const first = await connect();
    lin.expireAccessTokens();
    await expectProviderError(verifyToken(first.accessToken), 'rejected', {
      message: /expired/,
      status: 401,
      secrets: [first.accessToken],
    });
    const next = await refresh(first.refreshToken ?? '');
    expect((await verifyToken(next.accessToken)).account).toEqual(lin.account);
  });
});
