import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter, type OAuthContext, type OAuthFunctions, type RevokeContext } from '../../../adapters';
import { providerHttp } from '../../../core/platform/provider-http';
import { authorizationRequest, consent } from '../../fakes/oauth-grants';
import { type StripeFake, startStripeFake } from '../../fakes/stripe';
import { expectProviderError, verify } from './verify-helpers';

const adapter = await loadAdapter('stripe');
const settings = adapter?.manifest.auth.oauth2;
let f: StripeFake;

beforeAll(async () => {
  f = await startStripeFake();
});
afterAll(() => f.stop());

const oauth = (): OAuthFunctions => {
  if (!adapter?.oauth) throw new Error('stripe has no OAuth flavour');
  return adapter.oauth;
};

const context = (over: Partial<OAuthContext> = {}): OAuthContext => ({
  tokenUrl: f.tokenUrl,
  clientId: f.oauthClient.clientId,
  clientSecret: f.oauthClient.clientSecret,
  redirectUri: f.oauthClient.redirectUri,
  scopes: ['read_write'],
  http: providerHttp,
  ...over,
});

const authorize = async () => {
  if (!settings) throw new Error('stripe has no oauth2 settings');
  const req = authorizationRequest(settings, f);
  const url = new URL(req.url);
  expect(url.searchParams.get('scope')).toBe('read_write');
  // Stripe Connect takes no PKCE: core sends none (the manifest says why).
  expect(url.searchParams.has('code_challenge')).toBe(false);
  const back = await consent(req.url);
  expect(back.status).toBe(302);
  expect(back.location?.searchParams.get('state')).toBe(req.state);
  const code = back.location?.searchParams.get('code');
  if (!code) throw new Error(`no code in ${back.location?.toString()}`);
  return code;
};

describe('stripe Connect OAuth', () => {
  it('exchanges the code with the platform secret key, keeps stripe_user_id, and the token reads the account', async () => {
    const code = await authorize();
    const tokens = await oauth().exchangeCode({ ...context(), code });
    expect(tokens).toEqual({
      accessToken: expect.stringMatching(/^sk_test_/),
      refreshToken: expect.stringMatching(/^rt_/),
      scopes: ['read_write'],
      extra: { stripe_user_id: f.account.id },
      metadata: { stripe_user_id: f.account.id, livemode: 'false' },
    });
    expect(f.requests.at(-1)).toMatchObject({ method: 'POST', path: '/oauth/token' });
    const verified = await verify('stripe', {
      credentials: { type: 'oauth2', access_token: tokens.accessToken },
      baseUrl: f.apiBaseUrl,
    });
    expect(verified.account).toEqual(f.account);
    expect(verified.metadata).toMatchObject({ account_id: f.account.id, auth: 'connect' });
  });

  it('declares no refresh: Connect access tokens do not expire', () => {
    expect(oauth().refreshToken).toBeUndefined();
    expect(settings?.refreshes).toBe(false);
    expect(settings?.pkce).toBe(false);
  });

  it('a wrong platform key, a used code: rejected with Stripe’s words, the key never shown', async () => {
    const wrong = 'sk_test_51WrongPlatformKey00000000000000000';
    await expectProviderError(
      oauth().exchangeCode({ ...context({ clientSecret: wrong }), code: await authorize() }),
      'rejected',
      { message: /invalid_client/, status: 401, secrets: [wrong] },
    );
    const code = await authorize();
    await oauth().exchangeCode({ ...context(), code });
    const used = await expectProviderError(oauth().exchangeCode({ ...context(), code }), 'rejected', {
      message: /^invalid_grant: Authorization code already used/,
      status: 400,
    });
    expect(used.code).toBe('invalid_grant');
  });

  it('revoke deauthorizes the connected account; a second time Stripe refuses', async () => {
    const tokens = await oauth().exchangeCode({ ...context(), code: await authorize() });
    const revoke = adapter?.revoke;
    if (!revoke) throw new Error('no revoke');
    const ctx: RevokeContext = {
      credentials: { type: 'oauth2', access_token: tokens.accessToken, extra: tokens.extra ?? {} },
      clientId: f.oauthClient.clientId,
      clientSecret: f.oauthClient.clientSecret,
      tokenUrl: f.tokenUrl,
      baseUrl: f.apiBaseUrl,
      http: providerHttp,
    };
    await revoke(ctx);
    expect(f.deauthorized()).toEqual([f.account.id]);
    expect(f.requests.at(-1)).toMatchObject({ method: 'POST', path: '/oauth/deauthorize' });
    await expectProviderError(revoke(ctx), 'rejected', { message: /not connected to stripe account/ });
    await expectProviderError(
      revoke({ ...ctx, credentials: { type: 'api_key', api_key: 'sk_test_x' } }),
      'rejected',
      { message: /Stripe Dashboard/ },
    );
  });
});
