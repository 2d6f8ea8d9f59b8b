import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter, type OAuthContext, type OAuthFunctions } from '../../../adapters';
import { providerHttp } from '../../../core/platform/provider-http';
import { type GitHubFake, generateAppKeyPair, startGitHubFake } from '../../fakes/github';
import { authorizationRequest, consent, defaultRedirectUri } from '../../fakes/oauth-grants';
import { randomToken } from '../../fakes/server';
import { expectProviderError, verify } from './verify-helpers';

const adapter = await loadAdapter('github');
const settings = adapter?.manifest.auth.oauth2;
const appKeys = generateAppKeyPair();
let gh: GitHubFake; // an OAuth app: tokens that never expire
let ghApp: GitHubFake; // a GitHub App with expiring user tokens

beforeAll(async () => {
  [gh, ghApp] = await Promise.all([
    startGitHubFake({ appPublicKey: appKeys.publicKey, redirectUris: [defaultRedirectUri] }),
    startGitHubFake({
      appPublicKey: appKeys.publicKey,
      redirectUris: [defaultRedirectUri],
      userTokensExpire: true,
    }),
  ]);
});
afterAll(() => Promise.all([gh.stop(), ghApp.stop()]));

const oauth = (): OAuthFunctions => {
  if (!adapter?.oauth || !settings) throw new Error('github has no OAuth flavour');
  return adapter.oauth;
};

/** What core hands the adapter: the integration's endpoints point at the fake. */
const context = (fake: GitHubFake, over: Partial<OAuthContext> = {}): OAuthContext => ({
  tokenUrl: fake.tokenUrl,
  clientId: fake.oauthClient.clientId,
  clientSecret: fake.oauthClient.clientSecret,
  redirectUri: fake.oauthClient.redirectUri,
  scopes: settings?.defaultScopes ?? [],
  http: providerHttp,
  ...over,
});

/** Authorize as core would, consent as the user, and take the code from the redirect. */
const authorize = async (fake: GitHubFake) => {
  if (!settings) throw new Error('github has no oauth2 settings');
  const req = authorizationRequest(settings, fake);
  const back = await consent(req.url);
  expect(back.status).toBe(302);
  expect(back.location?.origin + (back.location?.pathname ?? '')).toBe(fake.oauthClient.redirectUri);
  expect(back.location?.searchParams.get('state')).toBe(req.state);
  const code = back.location?.searchParams.get('code');
  if (!code) throw new Error(`no code in ${back.location?.toString()}`);
  return { code, ...(req.codeVerifier ? { codeVerifier: req.codeVerifier } : {}) };
};

const connect = async (fake: GitHubFake) =>
  oauth().exchangeCode({ ...context(fake), ...(await authorize(fake)) });

describe('github OAuth app: code exchange', () => {
  it('exchanges a PKCE code for a token that never expires, with the scopes GitHub lists by commas', async () => {
    const grant = await authorize(gh);
    expect(grant.codeVerifier).toBeDefined(); // the manifest asks for PKCE
    const tokens = await oauth().exchangeCode({ ...context(gh), ...grant });
    expect(tokens.accessToken).toMatch(/^gho_[A-Za-z0-9]{36}$/);
    expect(tokens.scopes).toEqual(['repo', 'read:user']);
    expect(tokens).not.toHaveProperty('refreshToken');
    expect(tokens).not.toHaveProperty('expiresAt');

    const call = gh.requests.at(-1);
    expect(call).toMatchObject({ method: 'POST', path: '/login/oauth/access_token' });
    expect(call?.headers.accept).toBe('application/json');
    expect(call?.headers['content-type']).toBe('application/x-www-form-urlencoded');

    // The token is one GitHub's API accepts: core learns the account this way.
    const verified = await verify('github', {
      credentials: { type: 'oauth2', access_token: tokens.accessToken },
      baseUrl: gh.apiBaseUrl,
    });
    expect(verified.account).toEqual(gh.account);
    expect(verified.scopes).toEqual(['repo', 'read:user']);
  });

  it('reads a form-encoded answer when GitHub ignores Accept, errors included', async () => {
    gh.setTokenResponseFormat('form');
    try {
      const tokens = await connect(gh);
      expect(tokens.accessToken).toMatch(/^gho_/);
      expect(tokens.scopes).toEqual(['repo', 'read:user']);
      const e = await expectProviderError(
        oauth().exchangeCode({ ...context(gh), code: 'not-a-code', codeVerifier: 'x'.repeat(43) }),
        'rejected',
        { message: 'bad_verification_code: The code passed is incorrect or expired.' },
      );
      expect(e.code).toBe('bad_verification_code');
    } finally {
      gh.setTokenResponseFormat('negotiate');
    }
  });

  it('rejects a code used twice (HTTP 200 with an error body) and GitHub revokes the first token', async () => {
    const grant = await authorize(gh);
    const first = await oauth().exchangeCode({ ...context(gh), ...grant });
    const e = await expectProviderError(oauth().exchangeCode({ ...context(gh), ...grant }), 'rejected', {
      message: 'bad_verification_code: The code passed is incorrect or expired.',
      status: 200,
      secrets: [gh.oauthClient.clientSecret, first.accessToken],
    });
    expect(e.code).toBe('bad_verification_code');
    await expectProviderError(
      verify('github', {
        credentials: { type: 'oauth2', access_token: first.accessToken },
        baseUrl: gh.apiBaseUrl,
      }),
      'rejected',
      { message: 'Bad credentials', status: 401 },
    );
  });

  it('rejects a wrong client secret without echoing it', async () => {
    const wrong = randomToken(40);
    const e = await expectProviderError(
      oauth().exchangeCode({ ...context(gh, { clientSecret: wrong }), ...(await authorize(gh)) }),
      'rejected',
      {
        message: 'incorrect_client_credentials: The client_id and/or client_secret passed are incorrect.',
        secrets: [wrong],
      },
    );
    expect(e.code).toBe('incorrect_client_credentials');
  });

  it('rejects a PKCE verifier that does not match the challenge, and a missing one', async () => {
    const grant = await authorize(gh);
    await expectProviderError(
      oauth().exchangeCode({ ...context(gh), code: grant.code, codeVerifier: randomToken(43) }),
      'rejected',
      { message: /^bad_verification_code/ },
    );
    await expectProviderError(oauth().exchangeCode({ ...context(gh), code: grant.code }), 'rejected', {
      message: /^bad_verification_code/,
    });
  });

  it('rejects a redirect_uri other than the one the code was issued for', async () => {
    const grant = await authorize(gh);
    const e = await expectProviderError(
      oauth().exchangeCode({ ...context(gh, { redirectUri: 'https://evil.example.test/cb' }), ...grant }),
      'rejected',
      { message: /^redirect_uri_mismatch: The redirect_uri MUST match/ },
    );
    expect(e.code).toBe('redirect_uri_mismatch');
  });

  it('rejects a code past its 10 minutes', async () => {
    const grant = await authorize(gh);
    gh.expireCodes();
    await expectProviderError(oauth().exchangeCode({ ...context(gh), ...grant }), 'rejected', {
      message: /^bad_verification_code/,
    });
  });

  it('sends the user back with error=access_denied and the state when they refuse', async () => {
    if (!settings) throw new Error('no settings');
    gh.denyNext();
    const req = authorizationRequest(settings, gh);
    const back = await consent(req.url);
    expect(back.status).toBe(302);
    expect(back.location?.searchParams.get('error')).toBe('access_denied');
    expect(back.location?.searchParams.get('error_description')).toBe(
      'The user has denied your application access.',
    );
    expect(back.location?.searchParams.get('state')).toBe(req.state);
    expect(back.location?.searchParams.has('code')).toBe(false);
    // Only that once.
    await expect(connect(gh)).resolves.toMatchObject({ accessToken: expect.stringMatching(/^gho_/) });
  });

  it('sends an unregistered redirect_uri back to the registered callback with redirect_uri_mismatch', async () => {
    if (!settings) throw new Error('no settings');
    const req = authorizationRequest(settings, gh, {
      params: { redirect_uri: 'https://evil.example.test/cb' },
    });
    const back = await consent(req.url);
    expect(back.status).toBe(302);
    expect(`${back.location?.origin}${back.location?.pathname}`).toBe(defaultRedirectUri);
    expect(back.location?.searchParams.get('error')).toBe('redirect_uri_mismatch');
    expect(back.location?.searchParams.get('state')).toBe(req.state);
    expect(back.location?.searchParams.has('code')).toBe(false);
  });

  it('maps a refresh refused as bad_refresh_token to invalid_grant (OAuth apps have none)', async () => {
    const e = await expectProviderError(
      oauth().refreshToken?.({ ...context(gh), refreshToken: `ghr_${randomToken(76)}` }) ?? Promise.resolve(),
      'rejected',
      { message: 'bad_refresh_token: The refresh token passed is incorrect or expired.' },
    );
    expect(e.code).toBe('invalid_grant');
  });
});

describe('github App: expiring user tokens', () => {
  const refresh = (refreshToken: string, over: Partial<OAuthContext> = {}) => {
    const fn = oauth().refreshToken;
    if (!fn) throw new Error('github has no refreshToken');
    return fn({ ...context(ghApp, over), refreshToken });
  };

  it('gets an 8-hour token with a 6-month refresh token, and no scopes', async () => {
    const before = Date.now();
    const tokens = await connect(ghApp);
    expect(tokens.accessToken).toMatch(/^ghu_/);
    expect(tokens.refreshToken).toMatch(/^ghr_/);
    expect(Date.parse(tokens.expiresAt ?? '') - before).toBeGreaterThanOrEqual(28800_000 - 1000);
    expect(Date.parse(tokens.expiresAt ?? '') - Date.now()).toBeLessThanOrEqual(28800_000);
    const refreshExpiry = Date.parse(tokens.metadata?.refresh_token_expires_at ?? '');
    expect(refreshExpiry - before).toBeGreaterThanOrEqual(15897600_000 - 1000);
    expect(tokens).not.toHaveProperty('scopes');
    const verified = await verify('github', {
      credentials: { type: 'oauth2', access_token: tokens.accessToken },
      baseUrl: ghApp.apiBaseUrl,
    });
    expect(verified.account).toEqual(ghApp.account);
    expect(verified).not.toHaveProperty('scopes');
  });

  it('refreshes into a new token and a new refresh token; the old ones stop working', async () => {
    const first = await connect(ghApp);
    const count = ghApp.refreshCount();
    const next = await refresh(first.refreshToken ?? '');
    expect(ghApp.refreshCount()).toBe(count + 1);
    expect(next.accessToken).toMatch(/^ghu_/);
    expect(next.accessToken).not.toBe(first.accessToken);
    expect(next.refreshToken).toMatch(/^ghr_/);
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect(next.expiresAt).toBeDefined();

    const e = await expectProviderError(refresh(first.refreshToken ?? ''), 'rejected', {
      message: 'bad_refresh_token: The refresh token passed is incorrect or expired.',
      secrets: [first.refreshToken ?? '', next.refreshToken ?? ''],
    });
    expect(e.code).toBe('invalid_grant');
    expect(ghApp.refreshCount()).toBe(count + 1);
    // "Once you use a refresh token, that refresh token and the old user access token will no longer work."
    await expectProviderError(
      verify('github', {
        credentials: { type: 'oauth2', access_token: first.accessToken },
        baseUrl: ghApp.apiBaseUrl,
      }),
      'rejected',
      { message: 'Bad credentials', status: 401 },
    );
  });

  it('proves a refresh: an expired token is refused, the refreshed one accepted', async () => {
    const first = await connect(ghApp);
    ghApp.expireAccessTokens();
    await expectProviderError(
      verify('github', {
        credentials: { type: 'oauth2', access_token: first.accessToken },
        baseUrl: ghApp.apiBaseUrl,
      }),
      'rejected',
      { message: 'Bad credentials', status: 401, secrets: [first.accessToken] },
    );
    const next = await refresh(first.refreshToken ?? '');
    const verified = await verify('github', {
      credentials: { type: 'oauth2', access_token: next.accessToken },
      baseUrl: ghApp.apiBaseUrl,
    });
    expect(verified.account).toEqual(ghApp.account);
  });

  it('refuses a refresh with a wrong client secret', async () => {
    const first = await connect(ghApp);
    const e = await expectProviderError(
      refresh(first.refreshToken ?? '', { clientSecret: 'wrong' }),
      'rejected',
      {
        message: /^incorrect_client_credentials/,
      },
    );
    // Not the refresh token's fault: the connection is not to be marked expired for it.
    expect(e.code).toBe('incorrect_client_credentials');
    await expect(refresh(first.refreshToken ?? '')).resolves.toMatchObject({
      accessToken: expect.any(String),
    });
  });
});

describe('github App installation tokens', () => {
  const mint = (installationId: string, privateKey = appKeys.privateKey) => {
    if (!adapter?.appInstall) throw new Error('github has no appInstall');
    return adapter.appInstall.mintInstallationToken({
      installationId,
      app: { appId: gh.appId, privateKey },
      baseUrl: gh.apiBaseUrl,
      http: providerHttp,
    });
  };

  it('mints a one-hour token with the app JWT; the API accepts it for the installation', async () => {
    const before = Date.now();
    const tokens = await mint(gh.installationId);
    expect(tokens.accessToken).toMatch(/^ghs_[A-Za-z0-9]{36}$/);
    const ttl = Date.parse(tokens.expiresAt ?? '') - before;
    expect(ttl).toBeGreaterThan(3590_000);
    expect(ttl).toBeLessThanOrEqual(3600_000);
    expect(tokens.scopes).toEqual(['issues:write', 'metadata:read', 'pull_requests:write']);
    expect(tokens.metadata).toEqual({ installation_id: gh.installationId, repository_selection: 'selected' });
    expect(tokens).not.toHaveProperty('refreshToken');
    const call = gh.requests.at(-1);
    expect(call).toMatchObject({
      method: 'POST',
      path: `/app/installations/${gh.installationId}/access_tokens`,
    });
    expect(call?.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);

    const repos = await fetch(`${gh.apiBaseUrl}/installation/repositories`, {
      headers: { authorization: `Bearer ${tokens.accessToken}`, 'user-agent': 'test' },
    });
    expect(repos.status).toBe(200);
    expect(await repos.json()).toMatchObject({ total_count: 1, repositories: [{ name: 'payments-api' }] });

    gh.expireAccessTokens();
    const expired = await fetch(`${gh.apiBaseUrl}/installation/repositories`, {
      headers: { authorization: `Bearer ${tokens.accessToken}`, 'user-agent': 'test' },
    });
    expect(expired.status).toBe(401);
  });

  it('rejects an installation GitHub does not know', async () => {
    await expectProviderError(mint('77777777'), 'rejected', {
      message: 'GitHub App installation 77777777 not found (GitHub: Not Found).',
      status: 404,
      secrets: [appKeys.privateKey],
    });
  });

  it('rejects a suspended installation', async () => {
    await expectProviderError(mint(gh.suspendedInstallationId), 'rejected', {
      message: `GitHub App installation ${gh.suspendedInstallationId} is suspended (GitHub: This installation has been suspended).`,
      status: 403,
    });
  });

  it('rejects a JWT signed with another key with GitHub’s reason', async () => {
    const other = generateAppKeyPair();
    await expectProviderError(mint(gh.installationId, other.privateKey), 'rejected', {
      message: 'A JSON web token could not be decoded',
      status: 401,
      secrets: [other.privateKey],
    });
  });

  it('refuses an installation id that is not a number before building a URL with it', async () => {
    const before = gh.requests.length;
    await expectProviderError(mint('1/../../user'), 'rejected', { message: /is a number/ });
    expect(gh.requests.length).toBe(before);
  });
});

describe('github App: whose installation (GET /user/installations)', () => {
  const check = (fake: GitHubFake, installationId: string, userToken: string) => {
    const fn = adapter?.appInstall?.userCanAccessInstallation;
    if (!fn) throw new Error('github cannot check installations');
    return fn({ installationId, userToken, baseUrl: fake.apiBaseUrl, http: providerHttp });
  };

  it('a user token lists the installations of the organizations its user belongs to, and no others', async () => {
    ghApp.addUser('octo-initech', { org: 'initech' });
    const theirs = ghApp.addInstallation('initech');
    const mine = await connect(ghApp); // octo-acme, member of acme-corp only
    expect(await check(ghApp, ghApp.installationId, mine.accessToken)).toBe(true);
    expect(await check(ghApp, theirs, mine.accessToken)).toBe(false);
    expect(await check(ghApp, '99999999', mine.accessToken)).toBe(false);
  });

  it('pages through GitHub’s Link header until it finds the installation', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 230; i++)
      ids.push(ghApp.addInstallation(`acme-unit-${i}`, { members: ['octo-acme'] }));
    const mine = await connect(ghApp);
    const before = ghApp.requests.filter((r) => r.path === '/user/installations').length;
    expect(await check(ghApp, ids.at(-1) as string, mine.accessToken)).toBe(true);
    expect(ghApp.requests.filter((r) => r.path === '/user/installations').length - before).toBe(3);
  });

  it('refuses what GitHub refuses: an OAuth-app token, an unknown token, a malformed id', async () => {
    const oauthAppToken = (await connect(gh)).accessToken;
    await expectProviderError(check(gh, gh.installationId, oauthAppToken), 'rejected', {
      message:
        'You must authenticate with an access token authorized to a GitHub App in order to list installations',
      status: 403,
      secrets: [oauthAppToken],
    });
    const unknown = `ghu_${randomToken(36)}`;
    await expectProviderError(check(ghApp, ghApp.installationId, unknown), 'rejected', {
      message: 'Bad credentials',
      status: 401,
      secrets: [unknown],
    });
    await expectProviderError(check(ghApp, '1/../../user', 'x'), 'rejected', {
      message: 'A GitHub installation_id is a number.',
    });
  });
});
