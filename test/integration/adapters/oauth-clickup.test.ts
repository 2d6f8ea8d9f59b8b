import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter, type OAuthContext, type OAuthFunctions } from '../../../adapters';
import { providerHttp } from '../../../core/platform/provider-http';
import { type ClickUpFake, startClickUpFake } from '../../fakes/clickup';
import { authorizationRequest, consent, defaultRedirectUri } from '../../fakes/oauth-grants';
import { randomToken } from '../../fakes/server';
import { expectProviderError, verify } from './verify-helpers';

const adapter = await loadAdapter('clickup');
const settings = adapter?.manifest.auth.oauth2;
let cu: ClickUpFake;

beforeAll(async () => {
  cu = await startClickUpFake({ redirectUris: [defaultRedirectUri] });
});
afterAll(() => cu.stop());

const oauth = (): OAuthFunctions => {
  if (!adapter?.oauth) throw new Error('clickup has no OAuth flavour');
  return adapter.oauth;
};

const context = (over: Partial<OAuthContext> = {}): OAuthContext => ({
  tokenUrl: cu.tokenUrl,
  clientId: cu.oauthClient.clientId,
  clientSecret: cu.oauthClient.clientSecret,
  redirectUri: cu.oauthClient.redirectUri,
  scopes: [],
  http: providerHttp,
  ...over,
});

const authorize = async () => {
  if (!settings) throw new Error('clickup has no oauth2 settings');
  const req = authorizationRequest(settings, cu);
  const url = new URL(req.url);
  // ClickUp has no scopes and no PKCE: core sends neither.
  expect(url.searchParams.has('scope')).toBe(false);
  expect(url.searchParams.has('code_challenge')).toBe(false);
  const back = await consent(req.url);
  expect(back.status).toBe(302);
  expect(back.location?.searchParams.get('state')).toBe(req.state);
  const code = back.location?.searchParams.get('code');
  if (!code) throw new Error(`no code in ${back.location?.toString()}`);
  return code;
};

describe('clickup OAuth', () => {
  it('exchanges the code (credentials in the query string) for a token alone, which never expires', async () => {
    const code = await authorize();
    const tokens = await oauth().exchangeCode({ ...context(), code });
    // No refresh token, no expiry, no scopes: `{ access_token }` is all ClickUp answers.
    expect(tokens).toEqual({ accessToken: expect.stringMatching(/^81942317_[a-z0-9]{40}$/) });
    expect(cu.requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/v2/oauth/token' });

    const verified = await verify('clickup', {
      credentials: { type: 'oauth2', access_token: tokens.accessToken },
      baseUrl: cu.apiBaseUrl,
    });
    expect(verified.account).toEqual(cu.account);
  });

  it('has no refresh: ClickUp tokens do not expire', () => {
    expect(oauth().refreshToken).toBeUndefined();
    expect(settings?.refreshes).toBe(false);
  });

  it("rejects a wrong client secret with ClickUp's err and ECODE, never echoing it", async () => {
    const wrong = randomToken(64).toUpperCase();
    const e = await expectProviderError(
      oauth().exchangeCode({ ...context({ clientSecret: wrong }), code: await authorize() }),
      'rejected',
      { message: 'Client secret invalid', status: 401, secrets: [wrong] },
    );
    expect(e.code).toBe('OAUTH_011');
  });

  it('rejects a code used twice, an unknown one and an expired one', async () => {
    const code = await authorize();
    const tokens = await oauth().exchangeCode({ ...context(), code });
    await expectProviderError(oauth().exchangeCode({ ...context(), code }), 'rejected', {
      message: 'Code invalid or expired',
      status: 400,
      secrets: [tokens.accessToken],
    });
    await expectProviderError(oauth().exchangeCode({ ...context(), code: randomToken(32) }), 'rejected', {
      message: 'Code invalid or expired',
    });
    const late = await authorize();
    cu.expireCodes();
    await expectProviderError(oauth().exchangeCode({ ...context(), code: late }), 'rejected', {
      message: 'Code invalid or expired',
    });
  });

  it('is unreachable when ClickUp answers 503', async () => {
    const code = await authorize();
    cu.setDown(true);
    try {
      await expectProviderError(oauth().exchangeCode({ ...context(), code }), 'unreachable', { status: 503 });
    } finally {
      cu.setDown(false);
    }
  });

  it('checks the redirect_uri only against registered callbacks, and accepts any without them', async () => {
    if (!settings) throw new Error('no settings');
    const evil = { params: { redirect_uri: 'https://evil.example.test/cb' } };
    const refused = await consent(authorizationRequest(settings, cu, evil).url);
    expect(refused.status).toBe(400);
    expect(refused.location).toBeUndefined();
    // Unregistered (core's tests): the service's own callback URL, whatever its port.
    const open = await startClickUpFake();
    try {
      const back = await consent(
        authorizationRequest(settings, open, {
          params: { redirect_uri: 'http://127.0.0.1:4321/v1/oauth/callback' },
        }).url,
      );
      expect(back.status).toBe(302);
      expect(back.location?.origin).toBe('http://127.0.0.1:4321');
      expect(back.location?.searchParams.has('code')).toBe(true);
    } finally {
      await open.stop();
    }
  });

  it('sends the user back with error=access_denied and the state when they refuse', async () => {
    if (!settings) throw new Error('no settings');
    cu.denyNext();
    const req = authorizationRequest(settings, cu);
    const back = await consent(req.url);
    expect(back.status).toBe(302);
    expect(back.location?.searchParams.get('error')).toBe('access_denied');
    expect(back.location?.searchParams.get('state')).toBe(req.state);
    expect(back.location?.searchParams.has('code')).toBe(false);
  });
});
