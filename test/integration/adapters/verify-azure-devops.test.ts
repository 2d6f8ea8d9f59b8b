import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AzureDevOpsFake, startAzureDevOpsFake } from '../../fakes/azure-devops';
import { randomToken } from '../../fakes/server';
import { expectProviderError, secretsOf, verify } from './verify-helpers';

let az: AzureDevOpsFake;

beforeAll(async () => {
  az = await startAzureDevOpsFake();
  az.addProject('Fabrikam');
});
afterAll(() => az.stop());

// Azure DevOps and Azure Boards share one verification (adapters/azure-devops/verify.ts).
describe.each(['azure_devops', 'azure_boards'])('%s verifyCredentials', (provider) => {
  const config = { organization: 'acme' };

  it('proves the PAT on the organization and names the user and the organization', async () => {
    const before = az.requests.length;
    const verified = await verify(provider, { credentials: az.valid, baseUrl: az.apiBaseUrl, config });
    expect(verified).toEqual({
      account: az.account,
      metadata: {
        organization: 'acme',
        organization_id: az.organizationId,
        organization_url: `${az.apiBaseUrl}/acme`,
      },
    });
    const calls = az.requests.slice(before);
    expect(calls.map((r) => r.path)).toEqual(['/acme/_apis/projects', '/acme/_apis/connectionData']);
    // Basic with an empty user name, as Azure DevOps documents: the username field is not sent.
    const auth = calls[0]?.headers.authorization ?? '';
    expect(Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString()).toBe(`:${secretsOf(az.valid)[0]}`);
  });

  it('sends an Entra token as a bearer', async () => {
    const before = az.requests.length;
    const verified = await verify(provider, { credentials: az.oauth, baseUrl: az.apiBaseUrl, config });
    expect(verified.account).toEqual(az.account);
    expect(az.requests[before]?.headers.authorization).toBe(`Bearer ${secretsOf(az.oauth)[0]}`);
  });

  it('refuses a PAT answered with the sign-in page (203), never echoing it', async () => {
    const bad = { type: 'basic' as const, username: 'x', password: randomToken(52) };
    await expectProviderError(
      verify(provider, { credentials: bad, baseUrl: az.apiBaseUrl, config }),
      'rejected',
      {
        message: /sign-in page/,
        status: 203,
        secrets: [bad.password],
      },
    );
  });

  it('refuses an unknown bearer token with the reason from X-TFS-ServiceError', async () => {
    const bad = { type: 'oauth2' as const, access_token: randomToken(80) };
    await expectProviderError(
      verify(provider, { credentials: bad, baseUrl: az.apiBaseUrl, config }),
      'rejected',
      {
        message: /^TF400813/,
        status: 401,
        secrets: [bad.access_token],
      },
    );
  });

  it('needs config.organization, and refuses an organization that does not exist', async () => {
    await expectProviderError(
      verify(provider, { credentials: az.valid, baseUrl: az.apiBaseUrl }),
      'rejected',
      {
        message: /config\.organization/,
      },
    );
    await expectProviderError(
      verify(provider, { credentials: az.valid, baseUrl: az.apiBaseUrl, config: { organization: 'nope' } }),
      'rejected',
      { message: /organization nope does not exist/, status: 404 },
    );
  });

  it('maps 5xx to unreachable and 429 to rate_limited with Retry-After', async () => {
    az.failNext('down');
    await expectProviderError(
      verify(provider, { credentials: az.valid, baseUrl: az.apiBaseUrl, config }),
      'unreachable',
    );
    az.failNext('rate_limit', 12);
    const e = await expectProviderError(
      verify(provider, { credentials: az.valid, baseUrl: az.apiBaseUrl, config }),
      'rate_limited',
    );
    expect(e.retryAfterSeconds).toBe(12);
  });
});
