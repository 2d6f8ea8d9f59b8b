import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter, type OAuthContext, type OAuthFunctions } from '../../../adapters';
import { providerHttp } from '../../../core/platform/provider-http';
import { type NotionFake, startNotionFake } from '../../fakes/notion';
import { authorizationRequest, consent } from '../../fakes/oauth-grants';
import { expectProviderError, secretsOf, verify } from './verify-helpers';

const adapter = await loadAdapter('notion');
let n: NotionFake;

beforeAll(async () => {
  n = await startNotionFake();
});
afterAll(() => n.stop());

const oauth = (): OAuthFunctions => {
  if (!adapter?.oauth) throw new Error('notion has no OAuth flow');
  return adapter.oauth;
};

const context = (over: Partial<OAuthContext> = {}): OAuthContext => ({
  tokenUrl: n.tokenUrl,
  clientId: n.oauthClient.clientId,
  clientSecret: n.oauthClient.clientSecret,
  redirectUri: n.oauthClient.redirectUri,
  scopes: [],
  http: providerHttp,
  ...over,
});

const authorize = async () => {
  const settings = adapter?.manifest.auth.oauth2;
  if (!settings) throw new Error('notion has no oauth2 settings');
  const req = authorizationRequest(settings, n);
  const url = new URL(req.url);
  // Notion has no scopes and no PKCE, and wants owner=user.
  expect(url.searchParams.get('owner')).toBe('user');
  expect(url.searchParams.has('scope')).toBe(false);
  expect(url.searchParams.has('code_challenge')).toBe(false);
  const back = await consent(req.url);
  expect(back.status).toBe(302);
  const code = back.location?.searchParams.get('code');
  if (!code) throw new Error(`no code in ${back.location?.toString()}`);
  return code;
};

describe('notion verifyCredentials', () => {
  it('names the workspace of an internal integration secret, and keeps its id for routing', async () => {
    const v = await verify('notion', { credentials: n.valid, baseUrl: n.apiBaseUrl });
    expect(v.account).toEqual(n.account);
    expect(v.metadata).toMatchObject({ workspace_id: n.workspaceId, owner_type: 'workspace' });
    const call = n.requests.at(-1);
    expect(call).toMatchObject({ method: 'GET', path: '/v1/users/me' });
    expect(call?.headers['notion-version']).toBe('2022-06-28');
    expect(call?.headers.authorization).toBe(`Bearer ${n.valid.type === 'api_key' ? n.valid.api_key : ''}`);
  });

  it('takes an OAuth token as Bearer too', async () => {
    const v = await verify('notion', { credentials: n.oauth, baseUrl: n.apiBaseUrl });
    expect(v.account).toEqual(n.account);
    expect(v.metadata).toMatchObject({ workspace_id: n.workspaceId, owner_type: 'user' });
  });

  it("refuses a wrong secret in Notion's words, without the secret", async () => {
    const wrong = { type: 'api_key' as const, api_key: `ntn_${'x'.repeat(46)}` };
    await expectProviderError(verify('notion', { credentials: wrong, baseUrl: n.apiBaseUrl }), 'rejected', {
      message: 'API token is invalid.',
      status: 401,
      secrets: secretsOf(wrong),
    });
  });

  it('maps 5xx to unreachable and 429 to rate_limited with Retry-After', async () => {
    n.failNext('down');
    await expectProviderError(
      verify('notion', { credentials: n.valid, baseUrl: n.apiBaseUrl }),
      'unreachable',
    );
    n.failNext('rate_limit', 12);
    const e = await expectProviderError(
      verify('notion', { credentials: n.valid, baseUrl: n.apiBaseUrl }),
      'rate_limited',
    );
    expect(e.retryAfterSeconds).toBe(12);
  });
});

describe('notion OAuth', () => {
  it('exchanges the code with HTTP Basic and a JSON body; keeps workspace_id, workspace_name and bot_id; no refresh', async () => {
    const code = await authorize();
    const tokens = await oauth().exchangeCode({ ...context(), code });
    expect(tokens).toEqual({
      accessToken: expect.stringMatching(/^ntn_/),
      metadata: {
        workspace_id: n.workspaceId,
        workspace_name: n.account.name,
        bot_id: expect.any(String),
        owner_type: 'user',
      },
    });
    const call = n.requests.at(-1);
    expect(call).toMatchObject({ method: 'POST', path: '/v1/oauth/token' });
    expect(call?.headers.authorization).toMatch(/^Basic /);
    expect(call?.headers['content-type']).toContain('application/json');
    // Notion's tokens do not expire: there is no refresh grant to call.
    expect(oauth().refreshToken).toBeUndefined();
    expect(adapter?.manifest.auth.oauth2?.refreshes).toBe(false);

    const v = await verify('notion', {
      credentials: { type: 'oauth2', access_token: tokens.accessToken },
      baseUrl: n.apiBaseUrl,
    });
    expect(v.account.id).toBe(n.workspaceId);
  });

  it("refuses a used code and a wrong client in Notion's words", async () => {
    const code = await authorize();
    await oauth().exchangeCode({ ...context(), code });
    const used = await expectProviderError(oauth().exchangeCode({ ...context(), code }), 'rejected', {
      message: 'Invalid code.',
    });
    expect(used.code).toBe('invalid_grant');
    const other = await authorize();
    await expectProviderError(
      oauth().exchangeCode({ ...context({ clientSecret: 'secret_wrong' }), code: other }),
      'rejected',
      { message: 'Invalid client.', status: 401, secrets: ['secret_wrong', n.oauthClient.clientSecret] },
    );
  });

  it('revokes an OAuth token as the client; the token is refused afterwards', async () => {
    const code = await authorize();
    const tokens = await oauth().exchangeCode({ ...context(), code });
    const credentials = { type: 'oauth2' as const, access_token: tokens.accessToken };
    await adapter?.revoke?.({
      credentials,
      clientId: n.oauthClient.clientId,
      clientSecret: n.oauthClient.clientSecret,
      tokenUrl: n.tokenUrl,
      baseUrl: n.apiBaseUrl,
      http: providerHttp,
    });
    expect(n.requests.at(-1)).toMatchObject({ method: 'POST', path: '/v1/oauth/revoke' });
    await expectProviderError(verify('notion', { credentials, baseUrl: n.apiBaseUrl }), 'rejected', {
      status: 401,
    });
  });
});
