import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter } from '../../../adapters';
import { type JiraFake, startJiraFake } from '../../fakes/jira';
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

let jira: JiraFake;

beforeAll(async () => {
  jira = await startJiraFake({ redirectUris: [REDIRECT_URI] });
});
afterAll(() => jira.stop());

const manifest = (await loadAdapter('jira'))?.manifest;
const secretOf = () => [jira.oauthClient.clientSecret];
/** The redirect's parameters but the state (checked by `consent`). */
const back = (params: URLSearchParams) => {
  const { state: _state, ...rest } = Object.fromEntries(params);
  return rest;
};

describe('jira (Atlassian 3LO) authorization', () => {
  it('sends audience, prompt=consent and offline_access; consent redirects back with a code', async () => {
    const auth = authorizationUrl('jira', jira);
    const q = new URL(auth.url).searchParams;
    expect(q.get('audience')).toBe('api.atlassian.com');
    expect(q.get('prompt')).toBe('consent');
    expect(q.get('scope')?.split(' ')).toContain('offline_access');
    expect(q.has('code_challenge')).toBe(manifest?.auth.oauth2?.pkce);
    const back = await consent(auth);
    expect(back.get('code')).toBeTruthy();
  });

  it('refuses a request without the api.atlassian.com audience, and unknown clients or callbacks', async () => {
    const noAudience = await consent(authorizationUrl('jira', jira, { params: { audience: null } }));
    expect(back(noAudience)).toEqual({
      error: 'invalid_request',
      error_description: 'audience must be api.atlassian.com',
    });
    expect((await visit(authorizationUrl('jira', jira, { clientId: randomToken(32) }).url)).status).toBe(400);
    const elsewhere = await visit(
      authorizationUrl('jira', jira, { redirectUri: 'https://evil.test/cb' }).url,
    );
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.location).toBeUndefined();
  });

  it('redirects with access_denied when the user declines', async () => {
    jira.denyNext();
    const declined = await consent(authorizationUrl('jira', jira));
    expect(back(declined)).toEqual({
      error: 'access_denied',
      error_description: 'User did not authorize the request',
    });
  });
});

describe('jira exchangeCode', () => {
  it('posts JSON, returns an hour-long token with a refresh token, and verify finds the cloud id', async () => {
    const auth = await authorize('jira', jira);
    const before = Date.now();
    const tokens = await exchange('jira', jira, auth);
    const call = jira.requests.at(-1);
    expect(call).toMatchObject({ method: 'POST', path: '/oauth/token' });
    expect(call?.headers['content-type']).toMatch(/^application\/json/);
    expect(tokens).toEqual({
      accessToken: expect.stringMatching(/^eyJ/),
      refreshToken: expect.stringMatching(/^eyJ/),
      expiresAt: expect.any(String),
      scopes: manifest?.auth.oauth2?.defaultScopes,
    });
    const ttl = Date.parse(tokens.expiresAt as string) - before;
    expect(ttl).toBeGreaterThan(3590_000);
    expect(ttl).toBeLessThanOrEqual(3600_000 + (Date.now() - before));

    const verified = await verify('jira', {
      credentials: { type: 'oauth2', access_token: tokens.accessToken },
      baseUrl: jira.oauthBaseUrl,
    });
    expect(verified).toEqual({
      account: jira.account,
      scopes: ['read:jira-work', 'write:jira-work', 'read:jira-user'],
      metadata: { cloud_id: jira.cloudId, site: jira.site },
    });
  });

  it('has no refresh token without offline_access', async () => {
    const auth = await authorize('jira', jira, { scopes: ['read:jira-work'] });
    const tokens = await exchange('jira', jira, auth);
    expect(tokens.refreshToken).toBeUndefined();
    expect(tokens.scopes).toEqual(['read:jira-work']);
  });

  it("rejects a used code, a wrong secret and another redirect_uri with Atlassian's words", async () => {
    const auth = await authorize('jira', jira);
    await exchange('jira', jira, auth);
    const reused = await expectProviderError(exchange('jira', jira, auth), 'rejected', {
      message: 'invalid_grant: Invalid authorization code',
      status: 403,
    });
    expect(reused.code).toBe('invalid_grant');

    const wrongSecret = `ATOA${randomToken(60)}`;
    const denied = await expectProviderError(
      exchange('jira', jira, await authorize('jira', jira), { clientSecret: wrongSecret }),
      'rejected',
      { message: 'access_denied: Unauthorized', status: 401, secrets: [wrongSecret, ...secretOf()] },
    );
    expect(denied.code).toBe('access_denied');

    await expectProviderError(
      exchange('jira', jira, await authorize('jira', jira), {
        redirectUri: 'https://connect.acme.test/other',
      }),
      'rejected',
      { message: 'invalid_grant: Invalid redirect_uri', status: 403 },
    );
  });

  it('checks a PKCE verifier when the authorization carried a challenge', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const params = { code_challenge: challenge, code_challenge_method: 'S256' };
    await expectProviderError(
      exchange('jira', jira, await authorize('jira', jira, { params }), { codeVerifier: 'not-the-verifier' }),
      'rejected',
      { message: 'invalid_grant: Invalid code_verifier', status: 403 },
    );
    const tokens = await exchange('jira', jira, await authorize('jira', jira, { params }), {
      codeVerifier: verifier,
    });
    expect(tokens.accessToken).toBeTruthy();
  });

  it('is unreachable when auth.atlassian.com is down', async () => {
    const auth = await authorize('jira', jira);
    jira.setDown(true);
    try {
      await expectProviderError(exchange('jira', jira, auth), 'unreachable', { status: 503 });
    } finally {
      jira.setDown(false);
    }
  });
});

describe('jira refreshToken (rotating, single-use)', () => {
  it('rotates the refresh token; the old one is then dead (invalid_grant)', async () => {
    const auth = await authorize('jira', jira);
    const first = await exchange('jira', jira, auth);
    const ctx = tokenContext(jira, auth.scopes);
    const count = jira.refreshCount();

    jira.expireAccessTokens();
    const creds = (t: string) => ({
      credentials: { type: 'oauth2' as const, access_token: t },
      baseUrl: jira.oauthBaseUrl,
    });
    await expectProviderError(verify('jira', creds(first.accessToken)), 'rejected', {
      message: 'Unauthorized',
      status: 401,
      secrets: [first.accessToken],
    });

    const second = await (await oauthOf('jira')).refreshToken({
      ...ctx,
      refreshToken: first.refreshToken as string,
    });
    expect(jira.refreshCount()).toBe(count + 1);
    expect(jira.requests.at(-1)?.headers['content-type']).toMatch(/^application\/json/);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).toBeTruthy();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await verify('jira', creds(second.accessToken))).account).toEqual(jira.account);

    const reused = await expectProviderError(
      (await oauthOf('jira')).refreshToken({ ...ctx, refreshToken: first.refreshToken as string }),
      'rejected',
      {
        message: 'invalid_grant: Unknown or invalid refresh token.',
        status: 403,
        secrets: [first.refreshToken as string, second.refreshToken as string],
      },
    );
    expect(reused.code).toBe('invalid_grant');

    // The rotated one works once.
    const third = await (await oauthOf('jira')).refreshToken({
      ...ctx,
      refreshToken: second.refreshToken as string,
    });
    expect(third.refreshToken).not.toBe(second.refreshToken);
  });

  it("maps Atlassian's unauthorized_client 'refresh_token is invalid' to invalid_grant", async () => {
    const unknown = `eyJ${randomToken(120)}`;
    const e = await expectProviderError(
      (await oauthOf('jira')).refreshToken({ ...tokenContext(jira, []), refreshToken: unknown }),
      'rejected',
      { message: 'unauthorized_client: refresh_token is invalid', status: 403, secrets: [unknown] },
    );
    expect(e.code).toBe('invalid_grant');
  });

  it('keeps a wrong client secret apart from a dead refresh token', async () => {
    const auth = await authorize('jira', jira);
    const tokens = await exchange('jira', jira, auth);
    const e = await expectProviderError(
      (await oauthOf('jira')).refreshToken({
        ...tokenContext(jira, auth.scopes, { clientSecret: 'wrong' }),
        refreshToken: tokens.refreshToken as string,
      }),
      'rejected',
      { message: 'access_denied: Unauthorized', status: 401 },
    );
    expect(e.code).toBe('access_denied');
  });
});
