import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../../adapters';
import { type GitHubFake, generateAppKeyPair, startGitHubFake } from '../../fakes/github';
import { randomToken } from '../../fakes/server';
import { expectProviderError, secretsOf, verify } from './verify-helpers';

const appKeys = generateAppKeyPair();
let gh: GitHubFake;

beforeAll(async () => {
  gh = await startGitHubFake({ appPublicKey: appKeys.publicKey });
});
afterAll(() => gh.stop());

const app = () => ({ app: { appId: gh.appId, privateKey: appKeys.privateKey } });

describe('github verifyCredentials with a token', () => {
  it('returns the user and the classic token scopes from X-OAuth-Scopes', async () => {
    const verified = await verify('github', { credentials: gh.valid, baseUrl: gh.apiBaseUrl });
    expect(verified.account).toEqual(gh.account);
    expect(verified.scopes).toEqual(gh.scopes);
    const call = gh.requests.at(-1);
    expect(call).toMatchObject({ method: 'GET', path: '/user' });
    expect(call?.headers.accept).toBe('application/vnd.github+json');
    expect(call?.headers['x-github-api-version']).toBe('2022-11-28');
    // GitHub asks for the app's name as User-Agent (fetch would send a generic one).
    expect(call?.headers['user-agent']).toBe('integrations-service');
  });

  it('reports no scopes for a classic token granted none (empty X-OAuth-Scopes)', async () => {
    const verified = await verify('github', { credentials: gh.noScopes, baseUrl: gh.apiBaseUrl });
    expect(verified.scopes).toEqual([]);
  });

  it('omits scopes for a fine-grained token (no X-OAuth-Scopes header)', async () => {
    const verified = await verify('github', { credentials: gh.fineGrained, baseUrl: gh.apiBaseUrl });
    expect(verified.account).toEqual(gh.account);
    expect(verified).not.toHaveProperty('scopes');
  });

  it("rejects a wrong token with GitHub's message, never echoing the token", async () => {
    const wrong: Credentials = { type: 'oauth2', access_token: `ghp_${randomToken(36)}` };
    await expectProviderError(verify('github', { credentials: wrong, baseUrl: gh.apiBaseUrl }), 'rejected', {
      message: 'Bad credentials',
      status: 401,
      secrets: secretsOf(wrong),
    });
  });

  it('rejects a token that cannot go in a header without calling GitHub', async () => {
    const before = gh.requests.length;
    const token = `ghp_${randomToken(36)}`;
    const pasted: Credentials = { type: 'oauth2', access_token: `${token}\n` };
    await expectProviderError(verify('github', { credentials: pasted, baseUrl: gh.apiBaseUrl }), 'rejected', {
      message: /not well-formed/,
      secrets: [token],
    });
    expect(gh.requests.length).toBe(before);
  });

  it("reports GitHub's 403 with X-RateLimit-Remaining: 0 as rate_limited, not as a refusal", async () => {
    gh.setRateLimitRemaining(0);
    try {
      const e = await expectProviderError(
        verify('github', { credentials: gh.valid, baseUrl: gh.apiBaseUrl }),
        'rate_limited',
        { message: /API rate limit exceeded/, status: 403, secrets: secretsOf(gh.valid) },
      );
      expect(e.retryAfterSeconds).toBeGreaterThan(3000);
    } finally {
      gh.setRateLimitRemaining(5000);
    }
  });

  it('is unreachable when GitHub answers 503', async () => {
    gh.setDown(true);
    try {
      await expectProviderError(
        verify('github', { credentials: gh.valid, baseUrl: gh.apiBaseUrl }),
        'unreachable',
        {
          status: 503,
        },
      );
    } finally {
      gh.setDown(false);
    }
  });

  it('refuses credential types GitHub does not take', async () => {
    const basic: Credentials = { type: 'basic', username: 'octo', password: 'hunter2-secret' };
    await expectProviderError(verify('github', { credentials: basic, baseUrl: gh.apiBaseUrl }), 'rejected', {
      message: 'GitHub does not accept basic credentials.',
      secrets: secretsOf(basic),
    });
  });
});

describe('github verifyCredentials with an app installation', () => {
  const install = (installation_id: string): Credentials => ({ type: 'app_install', installation_id });

  it('signs an RS256 app JWT GitHub accepts and returns the installation account', async () => {
    const verified = await verify('github', {
      credentials: install(gh.installationId),
      baseUrl: gh.apiBaseUrl,
      integration: app(),
    });
    expect(verified.account).toEqual(gh.installationAccount);
    expect(verified.metadata).toMatchObject({
      installation_id: gh.installationId,
      target_type: 'Organization',
    });
    expect(verified.scopes).toEqual(['issues:write', 'metadata:read', 'pull_requests:write']);
    const call = gh.requests.at(-1);
    expect(call?.path).toBe(`/app/installations/${gh.installationId}`);
    expect(call?.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('rejects a JWT signed with another key with GitHub’s reason', async () => {
    const other = generateAppKeyPair();
    await expectProviderError(
      verify('github', {
        credentials: install(gh.installationId),
        baseUrl: gh.apiBaseUrl,
        integration: { app: { appId: gh.appId, privateKey: other.privateKey } },
      }),
      'rejected',
      { message: 'A JSON web token could not be decoded', status: 401, secrets: [other.privateKey] },
    );
  });

  it('rejects an installation GitHub does not know', async () => {
    await expectProviderError(
      verify('github', { credentials: install('77777777'), baseUrl: gh.apiBaseUrl, integration: app() }),
      'rejected',
      { message: /installation 77777777 not found.*Not Found/, status: 404, secrets: [appKeys.privateKey] },
    );
  });

  it('rejects a suspended installation', async () => {
    await expectProviderError(
      verify('github', {
        credentials: install(gh.suspendedInstallationId),
        baseUrl: gh.apiBaseUrl,
        integration: app(),
      }),
      'rejected',
      { message: /suspended/ },
    );
  });

  it('rejects an installation id that is not a number before building a URL with it', async () => {
    const before = gh.requests.length;
    await expectProviderError(
      verify('github', { credentials: install('1/../../user'), baseUrl: gh.apiBaseUrl, integration: app() }),
      'rejected',
      { message: /is a number/ },
    );
    expect(gh.requests.length).toBe(before);
  });

  it('rejects app installs when the integration has no GitHub App settings', async () => {
    await expectProviderError(
      verify('github', { credentials: install(gh.installationId), baseUrl: gh.apiBaseUrl }),
      'rejected',
      { message: /GitHub App id and private key/ },
    );
    await expectProviderError(
      verify('github', {
        credentials: install(gh.installationId),
        baseUrl: gh.apiBaseUrl,
        integration: { app: { appId: gh.appId, privateKey: 'not a pem' } },
      }),
      'rejected',
      { message: /not a valid PEM/, secrets: ['not a pem'] },
    );
  });
});
