import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter } from '../../../adapters';
import { randomHex, randomToken } from '../../fakes/server';
import { type SlackFake, startSlackFake } from '../../fakes/slack';
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

let slack: SlackFake;
let rotating: SlackFake;

beforeAll(async () => {
  slack = await startSlackFake({ redirectUris: [REDIRECT_URI] });
  rotating = await startSlackFake({ tokenRotation: true, redirectUris: [REDIRECT_URI] });
});
afterAll(async () => {
  await slack.stop();
  await rotating.stop();
});

const botScopes = (await loadAdapter('slack'))?.manifest.auth.oauth2?.defaultScopes ?? [];
const oauthToken = (t: string) => ({ type: 'oauth2' as const, access_token: t });

describe('slack install (oauth/v2/authorize)', () => {
  it('joins bot scopes with commas, asks for the user scope search needs, and redirects back with a code', async () => {
    const auth = authorizationUrl('slack', slack);
    expect(new URL(auth.url).searchParams.get('scope')).toBe(botScopes.join(','));
    expect(new URL(auth.url).searchParams.get('user_scope')).toBe('search:read');
    expect((await consent(auth)).get('code')).toMatch(/^\d+\.\d+\.[0-9a-f]{64}$/);
  });

  it('refuses unknown clients and callbacks with an error page, and sends access_denied when cancelled', async () => {
    expect((await visit(authorizationUrl('slack', slack, { clientId: '1.2' }).url)).status).toBe(400);
    const elsewhere = await visit(
      authorizationUrl('slack', slack, { redirectUri: 'https://evil.test/cb' }).url,
    );
    expect(elsewhere).toMatchObject({ status: 400, location: undefined });
    slack.denyNext();
    const cancelled = await consent(authorizationUrl('slack', slack));
    expect(cancelled.get('error')).toBe('access_denied');
    expect(cancelled.get('code')).toBeNull();
  });
});

describe('slack exchangeCode (oauth.v2.access)', () => {
  it('returns the bot token with the team as metadata; Basic client auth; auth.test names the team', async () => {
    const tokens = await exchange('slack', slack, await authorize('slack', slack));
    const call = slack.requests.at(-1);
    expect(call).toMatchObject({ method: 'POST', path: '/api/oauth.v2.access' });
    expect(call?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${slack.oauthClient.clientId}:${slack.oauthClient.clientSecret}`).toString('base64')}`,
    );
    expect(call?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(tokens).toEqual({
      accessToken: expect.stringMatching(/^xoxb-\d+-\d+-[A-Za-z0-9]{24}$/),
      // The installing user's token (user_scope search:read), kept beside the bot token.
      extra: { user_access_token: expect.stringMatching(/^xoxp-/) },
      scopes: botScopes,
      metadata: {
        team_id: slack.team.id,
        team_name: slack.team.name,
        bot_user_id: slack.botUserId,
        authed_user_id: slack.userId,
        app_id: slack.appId,
      },
    });

    const verified = await verify('slack', {
      credentials: oauthToken(tokens.accessToken),
      baseUrl: slack.apiBaseUrl,
    });
    expect(verified).toEqual({
      account: { id: slack.team.id, name: slack.team.name },
      scopes: botScopes,
      metadata: {
        team_id: slack.team.id,
        url: 'https://acme-corp.slack.com/',
        user_id: slack.botUserId,
        bot_id: expect.stringMatching(/^B0/),
      },
    });
    expect(slack.requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/auth.test' });
    expect(slack.requests.at(-1)?.headers.authorization).toBe(`Bearer ${tokens.accessToken}`);
  });

  it("keeps the installing user's token (user_scope) apart from the bot token", async () => {
    const auth = await authorize('slack', slack, { params: { user_scope: 'search:read' } });
    const tokens = await exchange('slack', slack, auth);
    expect(tokens.accessToken).toMatch(/^xoxb-/);
    expect(tokens.extra).toEqual({ user_access_token: expect.stringMatching(/^xoxp-/) });
    const asUser = await verify('slack', {
      credentials: oauthToken(tokens.extra?.user_access_token as string),
      baseUrl: slack.apiBaseUrl,
    });
    expect(asUser).toMatchObject({
      account: slack.account,
      scopes: ['search:read'],
      metadata: { user_id: slack.userId },
    });
  });

  it('makes the user token the main one for a user-token-only install', async () => {
    const auth = await authorize('slack', slack, {
      scopes: [],
      params: { user_scope: 'search:read,users:read' },
    });
    const tokens = await exchange('slack', slack, auth);
    expect(tokens.accessToken).toMatch(/^xoxp-/);
    expect(tokens.scopes).toEqual(['search:read', 'users:read']);
    expect(tokens.extra).toBeUndefined();
    expect(tokens.metadata).not.toHaveProperty('bot_user_id');
  });

  it('turns ok:false (HTTP 200) into rejected with Slack’s error code', async () => {
    const auth = await authorize('slack', slack);
    await exchange('slack', slack, auth);
    const reused = await expectProviderError(exchange('slack', slack, auth), 'rejected', {
      message: 'invalid_code',
      status: 200,
    });
    expect(reused.code).toBe('invalid_code');

    const wrong = randomHex(32);
    const e = await expectProviderError(
      exchange('slack', slack, await authorize('slack', slack), { clientSecret: wrong }),
      'rejected',
      { message: 'bad_client_secret', secrets: [wrong, slack.oauthClient.clientSecret] },
    );
    expect(e.code).toBe('bad_client_secret');

    await expectProviderError(
      exchange('slack', slack, await authorize('slack', slack), {
        redirectUri: 'https://connect.acme.test/x',
      }),
      'rejected',
      { message: 'bad_redirect_uri' },
    );
  });

  it('checks a PKCE verifier when the install carried a challenge', async () => {
    const params = {
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    };
    await expectProviderError(
      exchange('slack', slack, await authorize('slack', slack, { params }), { codeVerifier: 'wrong' }),
      'rejected',
      { message: 'invalid_code' },
    );
    // RFC 7636 appendix B's pair.
    const tokens = await exchange('slack', slack, await authorize('slack', slack, { params }), {
      codeVerifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    });
    expect(tokens.accessToken).toMatch(/^xoxb-/);
  });
});

describe('slack verifyCredentials (auth.test)', () => {
  it('rejects a bad token (invalid_auth) and an expired one (token_expired), never echoing them', async () => {
    const bad = `xoxb-${randomToken(40)}`;
    await expectProviderError(
      verify('slack', { credentials: oauthToken(bad), baseUrl: slack.apiBaseUrl }),
      'rejected',
      {
        message: 'invalid_auth',
        status: 200,
        secrets: [bad],
      },
    );
    const fresh = await startSlackFake();
    try {
      fresh.expireAccessTokens();
      await expectProviderError(
        verify('slack', { credentials: fresh.valid, baseUrl: fresh.apiBaseUrl }),
        'rejected',
        {
          message: 'token_expired',
        },
      );
    } finally {
      await fresh.stop();
    }
  });

  it('refuses api_key credentials', async () => {
    await expectProviderError(
      verify('slack', { credentials: { type: 'api_key', api_key: 'xoxb-1' }, baseUrl: slack.apiBaseUrl }),
      'rejected',
      { message: 'Slack does not accept api_key credentials.' },
    );
  });
});

describe('slack with token rotation', () => {
  it('issues 12-hour tokens with a single-use refresh token that rotates', async () => {
    const auth = await authorize('slack', rotating, { params: { user_scope: 'search:read' } });
    const before = Date.now();
    const first = await exchange('slack', rotating, auth);
    expect(first).toMatchObject({
      accessToken: expect.stringMatching(/^xoxe\.xoxb-1-/),
      refreshToken: expect.stringMatching(/^xoxe-1-/),
      extra: {
        user_access_token: expect.stringMatching(/^xoxe\.xoxp-1-/),
        user_refresh_token: expect.stringMatching(/^xoxe-1-/),
      },
    });
    expect(Date.parse(first.expiresAt as string) - before).toBeGreaterThan(43190_000);

    const ctx = tokenContext(rotating, auth.scopes);
    const count = rotating.refreshCount();
    rotating.expireAccessTokens();
    await expectProviderError(
      verify('slack', { credentials: oauthToken(first.accessToken), baseUrl: rotating.apiBaseUrl }),
      'rejected',
      { message: 'token_expired', secrets: [first.accessToken] },
    );
    const second = await (await oauthOf('slack')).refreshToken({
      ...ctx,
      refreshToken: first.refreshToken as string,
    });
    expect(rotating.refreshCount()).toBe(count + 1);
    expect(second).toMatchObject({
      accessToken: expect.stringMatching(/^xoxe\.xoxb-1-/),
      refreshToken: expect.stringMatching(/^xoxe-1-/),
      expiresAt: expect.any(String),
      scopes: botScopes,
      metadata: { team_id: rotating.team.id, bot_user_id: rotating.botUserId },
    });
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(
      (await verify('slack', { credentials: oauthToken(second.accessToken), baseUrl: rotating.apiBaseUrl }))
        .account,
    ).toEqual(rotating.account);

    const reused = await expectProviderError(
      (await oauthOf('slack')).refreshToken({ ...ctx, refreshToken: first.refreshToken as string }),
      'rejected',
      { message: 'invalid_refresh_token', status: 200, secrets: [first.refreshToken as string] },
    );
    expect(reused.code).toBe('invalid_grant');
  });

  it('answers invalid_refresh_token (→ invalid_grant) when the app does not rotate tokens', async () => {
    const e = await expectProviderError(
      (await oauthOf('slack')).refreshToken({
        ...tokenContext(slack, botScopes),
        refreshToken: `xoxe-1-${randomToken(60)}`,
      }),
      'rejected',
      { message: 'invalid_refresh_token' },
    );
    expect(e.code).toBe('invalid_grant');
  });
});
