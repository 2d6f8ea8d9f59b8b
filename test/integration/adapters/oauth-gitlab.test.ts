import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter, type OAuthContext, type OAuthFunctions } from '../../../adapters';
import { providerHttp } from '../../../core/platform/provider-http';
import { type GitLabFake, startGitLabFake } from '../../fakes/gitlab';
import { authorizationRequest, consent, defaultRedirectUri } from '../../fakes/oauth-grants';
import { randomHex } from '../../fakes/server';
import { expectProviderError, verify } from './verify-helpers';

const adapter = await loadAdapter('gitlab');
const settings = adapter?.manifest.auth.oauth2;
let gl: GitLabFake;

beforeAll(async () => {
  gl = await startGitLabFake({ redirectUris: [defaultRedirectUri] });
});
afterAll(() => gl.stop());

const oauth = (): OAuthFunctions => {
  if (!adapter?.oauth) throw new Error('gitlab has no OAuth flavour');
  return adapter.oauth;
};

const context = (over: Partial<OAuthContext> = {}): OAuthContext => ({
  tokenUrl: gl.tokenUrl,
  clientId: gl.oauthClient.clientId,
  clientSecret: gl.oauthClient.clientSecret,
  redirectUri: gl.oauthClient.redirectUri,
  scopes: settings?.defaultScopes ?? [],
  http: providerHttp,
  ...over,
});

const authorize = async (o: { scopes?: string[] } = {}) => {
  if (!settings) throw new Error('gitlab has no oauth2 settings');
  const req = authorizationRequest(settings, gl, o);
  const back = await consent(req.url);
  expect(back.status).toBe(302);
  expect(back.location?.searchParams.get('state')).toBe(req.state);
  const code = back.location?.searchParams.get('code');
  if (!code) throw new Error(`no code in ${back.location?.toString()}`);
  return { code, ...(req.codeVerifier ? { codeVerifier: req.codeVerifier } : {}) };
};

const connect = async () => oauth().exchangeCode({ ...context(), ...(await authorize()) });

const refresh = (refreshToken: string, over: Partial<OAuthContext> = {}) => {
  const fn = oauth().refreshToken;
  if (!fn) throw new Error('gitlab has no refreshToken');
  return fn({ ...context(over), refreshToken });
};

const verifyToken = (accessToken: string) =>
  verify('gitlab', { credentials: { type: 'oauth2', access_token: accessToken }, baseUrl: gl.apiBaseUrl });

describe('gitlab OAuth: code exchange', () => {
  it('exchanges a PKCE code for a 2-hour token, a refresh token and the scopes granted', async () => {
    const grant = await authorize();
    expect(grant.codeVerifier).toBeDefined();
    const before = Date.now();
    const tokens = await oauth().exchangeCode({ ...context(), ...grant });
    expect(tokens.accessToken).toMatch(/^[0-9a-f]{64}$/);
    expect(tokens.refreshToken).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(tokens.expiresAt ?? '') - before).toBeGreaterThanOrEqual(7200_000 - 1000);
    expect(Date.parse(tokens.expiresAt ?? '') - Date.now()).toBeLessThanOrEqual(7200_000);
    expect(tokens.scopes).toEqual(['api', 'read_user']);
    const verified = await verifyToken(tokens.accessToken);
    expect(verified.account).toEqual(gl.account);
  });

  it('rejects a wrong client secret as invalid_client (401), never echoing it', async () => {
    const wrong = `gloas-${randomHex(64)}`;
    const e = await expectProviderError(
      oauth().exchangeCode({ ...context({ clientSecret: wrong }), ...(await authorize()) }),
      'rejected',
      {
        message: /^invalid_client: Client authentication failed due to unknown client/,
        status: 401,
        secrets: [wrong],
      },
    );
    expect(e.code).toBe('invalid_client');
  });

  it('rejects a wrong PKCE verifier, a wrong redirect_uri and a reused code as invalid_grant', async () => {
    const grant = await authorize();
    const invalidGrant = /^invalid_grant: The provided authorization grant is invalid/;
    const wrongVerifier = await expectProviderError(
      oauth().exchangeCode({ ...context(), code: grant.code, codeVerifier: randomHex(43) }),
      'rejected',
      { message: invalidGrant, status: 400 },
    );
    expect(wrongVerifier.code).toBe('invalid_grant');
    await expectProviderError(
      oauth().exchangeCode({ ...context({ redirectUri: 'https://evil.example.test/cb' }), ...grant }),
      'rejected',
      { message: invalidGrant },
    );
    const tokens = await oauth().exchangeCode({ ...context(), ...grant });
    await expectProviderError(oauth().exchangeCode({ ...context(), ...grant }), 'rejected', {
      message: invalidGrant,
      secrets: [tokens.accessToken, tokens.refreshToken ?? ''],
    });
    // A replayed code revokes what it gave (RFC 6749 §4.1.2).
    await expectProviderError(verifyToken(tokens.accessToken), 'rejected', {
      message: /revoked/,
      status: 401,
    });
  });

  it('rejects a code past its lifetime', async () => {
    const grant = await authorize();
    gl.expireCodes();
    await expectProviderError(oauth().exchangeCode({ ...context(), ...grant }), 'rejected', {
      message: /^invalid_grant/,
    });
  });

  it('answers invalid_scope when the scopes are not space-separated', async () => {
    if (!settings) throw new Error('no settings');
    const req = authorizationRequest(settings, gl, { params: { scope: 'api,read_user' } });
    const back = await consent(req.url);
    expect(back.location?.searchParams.get('error')).toBe('invalid_scope');
    expect(back.location?.searchParams.get('state')).toBe(req.state);
  });

  it('sends the user back with error=access_denied and the state when they refuse', async () => {
    if (!settings) throw new Error('no settings');
    gl.denyNext();
    const req = authorizationRequest(settings, gl);
    const back = await consent(req.url);
    expect(back.status).toBe(302);
    expect(back.location?.searchParams.get('error')).toBe('access_denied');
    expect(back.location?.searchParams.get('state')).toBe(req.state);
    expect(back.location?.searchParams.has('code')).toBe(false);
  });

  it('shows an error page instead of redirecting to an unregistered redirect_uri', async () => {
    if (!settings) throw new Error('no settings');
    const req = authorizationRequest(settings, gl, {
      params: { redirect_uri: 'https://evil.example.test/cb' },
    });
    const back = await consent(req.url);
    expect(back.status).toBe(400);
    expect(back.location).toBeUndefined();
  });
});

describe('gitlab OAuth: rotating refresh tokens', () => {
  it('refreshes into a new token and a new refresh token; the old pair is revoked', async () => {
    const first = await connect();
    const count = gl.refreshCount();
    const next = await refresh(first.refreshToken ?? '');
    expect(gl.refreshCount()).toBe(count + 1);
    expect(next.accessToken).not.toBe(first.accessToken);
    expect(next.refreshToken).toBeDefined();
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect(next.scopes).toEqual(['api', 'read_user']);
    expect((await verifyToken(next.accessToken)).account).toEqual(gl.account);
    await expectProviderError(verifyToken(first.accessToken), 'rejected', {
      message: 'Token was revoked. You have to re-authorize from the user.',
      status: 401,
    });

    const e = await expectProviderError(refresh(first.refreshToken ?? ''), 'rejected', {
      message: /^invalid_grant/,
      status: 400,
      secrets: [first.refreshToken ?? '', next.refreshToken ?? ''],
    });
    expect(e.code).toBe('invalid_grant');
    expect(gl.refreshCount()).toBe(count + 1);
  });

  it('proves a refresh: an expired token is refused, the refreshed one accepted', async () => {
    const first = await connect();
    gl.expireAccessTokens();
    await expectProviderError(verifyToken(first.accessToken), 'rejected', {
      message: 'Token is expired. You can either do re-authorization or token refresh.',
      status: 401,
      secrets: [first.accessToken],
    });
    const next = await refresh(first.refreshToken ?? '');
    expect((await verifyToken(next.accessToken)).account).toEqual(gl.account);
  });

  it('refuses a refresh with a wrong client secret as invalid_client, leaving the refresh token usable', async () => {
    const first = await connect();
    const e = await expectProviderError(
      refresh(first.refreshToken ?? '', { clientSecret: 'wrong' }),
      'rejected',
      {
        status: 401,
      },
    );
    expect(e.code).toBe('invalid_client');
    await expect(refresh(first.refreshToken ?? '')).resolves.toMatchObject({
      accessToken: expect.any(String),
    });
  });
});
