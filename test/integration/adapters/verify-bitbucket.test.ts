import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, loadAdapter, type OAuthContext } from '../../../adapters';
import { providerHttp } from '../../../core/platform/provider-http';
import { type BitbucketFake, bitbucketConsumerScopes, startBitbucketFake } from '../../fakes/bitbucket';
import { authorizationRequest, consent, defaultRedirectUri } from '../../fakes/oauth-grants';
import { randomToken } from '../../fakes/server';
import { expectProviderError, secretsOf, verify } from './verify-helpers';

let bb: BitbucketFake;

beforeAll(async () => {
  bb = await startBitbucketFake({ redirectUris: [defaultRedirectUri] });
});
afterAll(() => bb.stop());

const check = (credentials: Credentials) => verify('bitbucket', { credentials, baseUrl: bb.apiBaseUrl });

describe('bitbucket verifyCredentials', () => {
  it('returns the user for a username and app password, sent as HTTP Basic to GET /user', async () => {
    const before = bb.requests.length;
    expect(await check(bb.valid)).toEqual({ account: bb.account });
    const call = bb.requests.slice(before);
    expect(call.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /2.0/user']);
    const [user, password] = Buffer.from(
      call[0]?.headers.authorization?.replace(/^Basic /, '') ?? '',
      'base64',
    )
      .toString()
      .split(':');
    expect(user).toBe('jdoe');
    expect(password).toBe(secretsOf(bb.valid)[0]);
  });

  it('takes an API token with the Atlassian email as the username', async () => {
    expect(await check(bb.apiToken)).toEqual({ account: bb.account });
  });

  it('sends an OAuth token as Bearer, and reports the scopes Bitbucket names', async () => {
    const before = bb.requests.length;
    expect(await check(bb.oauth)).toEqual({ account: bb.account, scopes: bitbucketConsumerScopes });
    expect(bb.requests[before]?.headers.authorization).toBe(`Bearer ${secretsOf(bb.oauth)[0]}`);
  });

  it("rejects a wrong app password with the first line of Bitbucket's plain-text 401", async () => {
    const wrong: Credentials = { type: 'basic', username: 'jdoe', password: `ATBB${randomToken(36)}` };
    await expectProviderError(check(wrong), 'rejected', {
      message: 'Login failed due to incorrect login credentials or method.',
      status: 401,
      secrets: secretsOf(wrong),
    });
  });

  it("rejects an unknown token with Bitbucket's message, never echoing it", async () => {
    const wrong: Credentials = { type: 'oauth2', access_token: `${randomToken(120)}==` };
    await expectProviderError(check(wrong), 'rejected', {
      message: 'Token is invalid, expired, or not supported for this endpoint.',
      status: 401,
      secrets: secretsOf(wrong),
    });
  });

  it('reports the narrower scopes of a token that can read only the account', async () => {
    expect(await check(bb.accountOnly)).toEqual({ account: bb.account, scopes: ['account'] });
  });

  it('is unreachable when Bitbucket answers 5xx', async () => {
    bb.setDown(true);
    try {
      await expectProviderError(check(bb.valid), 'unreachable', { status: 503 });
    } finally {
      bb.setDown(false);
    }
    bb.failNext('down');
    await expectProviderError(check(bb.valid), 'unreachable', { status: 500 });
  });

  it('is rate_limited on a 429, with no wait: Bitbucket sends none', async () => {
    bb.failNext('rate_limit');
    const e = await expectProviderError(check(bb.valid), 'rate_limited', { status: 429 });
    expect(e.retryAfterSeconds).toBeUndefined();
  });

  it('refuses API-key credentials', async () => {
    const key: Credentials = { type: 'api_key', api_key: randomToken(40) };
    await expectProviderError(check(key), 'rejected', {
      message: 'Bitbucket does not accept api_key credentials.',
      secrets: secretsOf(key),
    });
  });
});

describe('bitbucket OAuth', async () => {
  const adapter = await loadAdapter('bitbucket');
  const settings = adapter?.manifest.auth.oauth2;
  const oauth = () => {
    if (!adapter?.oauth?.refreshToken) throw new Error('bitbucket has no OAuth flavour with refresh');
    return { exchangeCode: adapter.oauth.exchangeCode, refreshToken: adapter.oauth.refreshToken };
  };
  const context = (over: Partial<OAuthContext> = {}): OAuthContext => ({
    tokenUrl: bb.tokenUrl,
    clientId: bb.oauthClient.clientId,
    clientSecret: bb.oauthClient.clientSecret,
    redirectUri: bb.oauthClient.redirectUri,
    scopes: settings?.defaultScopes ?? [],
    http: providerHttp,
    ...over,
  });
  const authorize = async () => {
    if (!settings) throw new Error('bitbucket has no oauth2 settings');
    const req = authorizationRequest(settings, bb);
    expect(req.codeVerifier).toBeUndefined(); // Bitbucket has no PKCE
    const back = await consent(req.url);
    expect(back.status).toBe(302);
    expect(back.location?.searchParams.get('state')).toBe(req.state);
    const code = back.location?.searchParams.get('code');
    if (!code) throw new Error(`no code in ${back.location?.toString()}`);
    return code;
  };

  it('exchanges a code (client as HTTP Basic) for a 2-hour token, a refresh token and the scopes', async () => {
    const code = await authorize();
    const before = bb.requests.length;
    const started = Date.now();
    const tokens = await oauth().exchangeCode({ ...context(), code });
    const call = bb.requests[before];
    expect(call?.path).toBe('/site/oauth2/access_token');
    expect(call?.headers.authorization).toMatch(/^Basic /);
    expect(Date.parse(tokens.expiresAt ?? '') - started).toBeGreaterThanOrEqual(7200_000 - 1000);
    expect(tokens.refreshToken).toEqual(expect.any(String));
    expect(tokens.scopes).toEqual(bitbucketConsumerScopes);
    expect(await check({ type: 'oauth2', access_token: tokens.accessToken })).toMatchObject({
      account: bb.account,
    });
  });

  it('refreshes an expired token; the expired one is refused with "Access token expired."', async () => {
    const first = await oauth().exchangeCode({ ...context(), code: await authorize() });
    bb.expireAccessTokens();
    await expectProviderError(check({ type: 'oauth2', access_token: first.accessToken }), 'rejected', {
      message: 'Access token expired.',
      status: 401,
    });
    const count = bb.refreshCount();
    const next = await oauth().refreshToken({ ...context(), refreshToken: first.refreshToken ?? '' });
    expect(bb.refreshCount()).toBe(count + 1);
    expect(next.accessToken).not.toBe(first.accessToken);
    expect(await check({ type: 'oauth2', access_token: next.accessToken })).toMatchObject({
      account: bb.account,
    });
  });

  it('an unknown refresh token → rejected invalid_grant; a wrong client secret → invalid_client', async () => {
    const e = await expectProviderError(
      oauth().refreshToken({ ...context(), refreshToken: randomToken(24) }),
      'rejected',
      { message: 'invalid_grant: Invalid refresh_token', status: 400 },
    );
    expect(e.code).toBe('invalid_grant');
    const wrong = randomToken(32);
    const refused = await expectProviderError(
      oauth().exchangeCode({ ...context({ clientSecret: wrong }), code: await authorize() }),
      'rejected',
      { message: 'invalid_client: Invalid OAuth client credentials', secrets: [wrong] },
    );
    expect(refused.code).toBe('invalid_client');
  });

  it('a code used twice → invalid_grant', async () => {
    const code = await authorize();
    await oauth().exchangeCode({ ...context(), code });
    await expectProviderError(oauth().exchangeCode({ ...context(), code }), 'rejected', {
      message: 'invalid_grant: The specified code is not valid.',
    });
  });
});
