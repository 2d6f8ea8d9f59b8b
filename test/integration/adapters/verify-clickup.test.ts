import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../../adapters';
import { type ClickUpFake, startClickUpFake } from '../../fakes/clickup';
import { randomToken } from '../../fakes/server';
import { expectProviderError, secretsOf, verify } from './verify-helpers';

let cu: ClickUpFake;

beforeAll(async () => {
  cu = await startClickUpFake();
});
afterAll(() => cu.stop());

describe('clickup verifyCredentials', () => {
  it('returns the user behind a personal token, sent bare', async () => {
    const verified = await verify('clickup', { credentials: cu.valid, baseUrl: cu.apiBaseUrl });
    expect(verified).toEqual({ account: cu.account });
    const call = cu.requests.at(-1);
    expect(call).toMatchObject({ method: 'GET', path: '/api/v2/user' });
    expect(call?.headers.authorization).toBe(secretsOf(cu.valid)[0]);
  });

  it('accepts an OAuth token, also sent bare', async () => {
    const verified = await verify('clickup', { credentials: cu.oauth, baseUrl: cu.apiBaseUrl });
    expect(verified.account).toEqual(cu.account);
    expect(cu.requests.at(-1)?.headers.authorization).toBe(secretsOf(cu.oauth)[0]);
  });

  it("rejects a wrong token with ClickUp's err, never echoing the token", async () => {
    const wrong: Credentials = { type: 'api_key', api_key: `pk_81942317_${randomToken(32).toUpperCase()}` };
    await expectProviderError(verify('clickup', { credentials: wrong, baseUrl: cu.apiBaseUrl }), 'rejected', {
      message: 'Token invalid',
      status: 401,
      secrets: secretsOf(wrong),
    });
  });

  it('is unreachable when ClickUp answers 503', async () => {
    cu.setDown(true);
    try {
      await expectProviderError(
        verify('clickup', { credentials: cu.valid, baseUrl: cu.apiBaseUrl }),
        'unreachable',
        {
          status: 503,
        },
      );
    } finally {
      cu.setDown(false);
    }
  });

  it('refuses app_install credentials', async () => {
    await expectProviderError(
      verify('clickup', {
        credentials: { type: 'app_install', installation_id: '1' },
        baseUrl: cu.apiBaseUrl,
      }),
      'rejected',
      { message: 'ClickUp does not accept app_install credentials.' },
    );
  });
});
