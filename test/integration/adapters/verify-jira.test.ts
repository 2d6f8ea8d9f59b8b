import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, loadAdapter } from '../../../adapters';
import { type JiraFake, startJiraFake } from '../../fakes/jira';
import { randomToken } from '../../fakes/server';
import { expectProviderError, secretsOf, verify } from './verify-helpers';

let jira: JiraFake;

beforeAll(async () => {
  jira = await startJiraFake();
});
afterAll(() => jira.stop());

describe('jira verifyCredentials with email + API token', () => {
  it('returns the account behind the token', async () => {
    const verified = await verify('jira', {
      credentials: jira.valid,
      baseUrl: jira.apiBaseUrl,
      config: { site: jira.site },
    });
    expect(verified).toEqual({ account: jira.account, metadata: { site: jira.site } });
    const call = jira.requests.at(-1);
    expect(call).toMatchObject({ method: 'GET', path: '/rest/api/3/myself' });
    expect(call?.headers.authorization).toMatch(/^Basic /);
  });

  it('rejects a wrong API token (401, empty body) without echoing it', async () => {
    const wrong: Credentials = {
      type: 'basic',
      username: 'mia@acme.com',
      password: `ATATT3xFfGF0${randomToken(60)}`,
    };
    await expectProviderError(verify('jira', { credentials: wrong, baseUrl: jira.apiBaseUrl }), 'rejected', {
      message: 'Jira rejected the email/API token (401)',
      status: 401,
      secrets: secretsOf(wrong),
    });
  });

  it("explains Atlassian's CAPTCHA lock (403)", async () => {
    jira.setCaptcha(true);
    try {
      await expectProviderError(
        verify('jira', { credentials: jira.valid, baseUrl: jira.apiBaseUrl }),
        'rejected',
        {
          message: /CAPTCHA/,
          status: 403,
          secrets: secretsOf(jira.valid),
        },
      );
    } finally {
      jira.setCaptcha(false);
    }
  });

  it('is unreachable when Jira answers 503', async () => {
    jira.setDown(true);
    try {
      await expectProviderError(
        verify('jira', { credentials: jira.valid, baseUrl: jira.apiBaseUrl }),
        'unreachable',
        {
          status: 503,
        },
      );
    } finally {
      jira.setDown(false);
    }
  });

  it('refuses api_key credentials', async () => {
    const key: Credentials = { type: 'api_key', api_key: 'ATATT-not-a-basic-pair' };
    await expectProviderError(verify('jira', { credentials: key, baseUrl: jira.apiBaseUrl }), 'rejected', {
      message: 'Jira does not accept api_key credentials.',
      secrets: secretsOf(key),
    });
  });
});

describe('jira verifyCredentials with an OAuth token', () => {
  it('finds the cloud id through accessible-resources, then calls the gateway', async () => {
    const verified = await verify('jira', { credentials: jira.oauth, baseUrl: jira.oauthBaseUrl });
    expect(verified).toEqual({
      account: jira.account,
      scopes: jira.oauthScopes,
      metadata: { cloud_id: jira.cloudId, site: jira.site },
    });
    expect(jira.requests.slice(-2).map((r) => r.path)).toEqual([
      '/oauth/token/accessible-resources',
      `/ex/jira/${jira.cloudId}/rest/api/3/myself`,
    ]);
  });

  it("rejects a site the token can't reach, and a wrong token with the gateway's message", async () => {
    await expectProviderError(
      verify('jira', {
        credentials: jira.oauth,
        baseUrl: jira.oauthBaseUrl,
        config: { site: 'other.atlassian.net' },
      }),
      'rejected',
      { message: /other\.atlassian\.net/ },
    );
    const wrong: Credentials = { type: 'oauth2', access_token: randomToken(80) };
    await expectProviderError(
      verify('jira', { credentials: wrong, baseUrl: jira.oauthBaseUrl }),
      'rejected',
      {
        message: 'Unauthorized',
        status: 401,
        secrets: secretsOf(wrong),
      },
    );
  });
});

describe('jira resolveBaseUrl', async () => {
  const resolve = (await loadAdapter('jira'))?.resolveBaseUrl;

  it('is the site for basic credentials and throws rejected without one', async () => {
    expect(resolve?.({ site: 'acme.atlassian.net' }, jira.valid)).toBe('https://acme.atlassian.net');
    await expectProviderError((async () => resolve?.({}, jira.valid))(), 'rejected', {
      message: 'Jira needs config.site (e.g. acme.atlassian.net) for basic credentials',
    });
  });

  it('is the gateway URL (with its cloud id placeholder) for OAuth', () => {
    expect(resolve?.({}, jira.oauth)).toBe('https://api.atlassian.com/ex/jira/{cloud_id}');
  });
});
