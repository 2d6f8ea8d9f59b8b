import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, loadAdapter } from '../../../adapters';
import { type GitLabFake, startGitLabFake } from '../../fakes/gitlab';
import { randomToken } from '../../fakes/server';
import { expectProviderError, secretsOf, verify } from './verify-helpers';

let gl: GitLabFake;
let legacy: GitLabFake;

beforeAll(async () => {
  [gl, legacy] = await Promise.all([startGitLabFake(), startGitLabFake({ tokenSelfEndpoint: false })]);
});
afterAll(() => Promise.all([gl.stop(), legacy.stop()]));

describe('gitlab verifyCredentials', () => {
  it('returns the user and the personal access token scopes', async () => {
    const verified = await verify('gitlab', { credentials: gl.valid, baseUrl: gl.apiBaseUrl });
    expect(verified).toEqual({
      account: gl.account,
      scopes: gl.scopes,
      metadata: { token_expires_at: gl.tokenExpiresAt },
    });
    const [user, self] = gl.requests.slice(-2);
    expect(user).toMatchObject({ method: 'GET', path: '/api/v4/user' });
    expect(self).toMatchObject({ method: 'GET', path: '/api/v4/personal_access_tokens/self' });
    expect(user?.headers['private-token']).toBe(secretsOf(gl.valid)[0]);
    expect(user?.headers.authorization).toBeUndefined();
  });

  it('omits scopes on an instance without /personal_access_tokens/self (404)', async () => {
    const verified = await verify('gitlab', { credentials: legacy.valid, baseUrl: legacy.apiBaseUrl });
    expect(verified).toEqual({ account: legacy.account });
  });

  it('sends OAuth tokens as Bearer and does not ask for PAT details', async () => {
    const before = gl.requests.length;
    const verified = await verify('gitlab', { credentials: gl.oauth, baseUrl: gl.apiBaseUrl });
    expect(verified).toEqual({ account: gl.account });
    const calls = gl.requests.slice(before);
    expect(calls.map((r) => r.path)).toEqual(['/api/v4/user']);
    expect(calls[0]?.headers.authorization).toBe(`Bearer ${secretsOf(gl.oauth)[0]}`);
  });

  it("rejects a wrong token with GitLab's message, never echoing the token", async () => {
    const wrong: Credentials = { type: 'api_key', api_key: `glpat-${randomToken(20)}` };
    await expectProviderError(verify('gitlab', { credentials: wrong, baseUrl: gl.apiBaseUrl }), 'rejected', {
      message: '401 Unauthorized',
      status: 401,
      secrets: secretsOf(wrong),
    });
  });

  it('is unreachable when GitLab answers 503', async () => {
    gl.setDown(true);
    try {
      await expectProviderError(
        verify('gitlab', { credentials: gl.valid, baseUrl: gl.apiBaseUrl }),
        'unreachable',
        {
          status: 503,
        },
      );
    } finally {
      gl.setDown(false);
    }
  });

  it('refuses basic credentials', async () => {
    const basic: Credentials = { type: 'basic', username: 'jdoe', password: 's3cret-password' };
    await expectProviderError(verify('gitlab', { credentials: basic, baseUrl: gl.apiBaseUrl }), 'rejected', {
      message: 'GitLab does not accept basic credentials.',
      secrets: secretsOf(basic),
    });
  });
});

describe('gitlab resolveBaseUrl', async () => {
  const resolve = (await loadAdapter('gitlab'))?.resolveBaseUrl;
  const creds: Credentials = { type: 'api_key', api_key: 'glpat-x' };

  it('uses a self-managed host with /api/v4, else gitlab.com', () => {
    expect(resolve?.({ host: 'https://gitlab.acme.com' }, creds)).toBe('https://gitlab.acme.com/api/v4');
    expect(resolve?.({ host: 'https://acme.com/gitlab/' }, creds)).toBe('https://acme.com/gitlab/api/v4');
    expect(resolve?.({}, creds)).toBe('https://gitlab.com/api/v4');
  });
});
