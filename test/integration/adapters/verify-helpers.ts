import { expect } from 'vitest';
import {
  type Credentials,
  type IntegrationSettings,
  loadAdapter,
  type VerifiedAccount,
} from '../../../adapters';
import { isProviderError, type ProviderError, type ProviderErrorKind } from '../../../adapters/errors';
import { providerHttp } from '../../../core/platform/provider-http';

/** Verification exactly as core calls it: through the registry, with the shared http client. */
export const verify = async (
  provider: string,
  ctx: {
    credentials: Credentials;
    baseUrl: string;
    config?: Record<string, unknown>;
    integration?: IntegrationSettings;
  },
): Promise<VerifiedAccount> => {
  const adapter = await loadAdapter(provider);
  if (!adapter?.verifyCredentials) throw new Error(`${provider} has no verifyCredentials`);
  return adapter.verifyCredentials({
    credentials: ctx.credentials,
    baseUrl: ctx.baseUrl,
    config: ctx.config ?? {},
    integration: ctx.integration ?? {},
    http: providerHttp,
  });
};

/** Every secret string of a credentials object (what must never show in an error). */
export const secretsOf = (c: Credentials): string[] => {
  switch (c.type) {
    case 'api_key':
      return [c.api_key, ...(c.app_key ? [c.app_key] : [])];
    case 'basic':
      return [c.password];
    case 'oauth2':
      return [c.access_token, ...(c.refresh_token ? [c.refresh_token] : [])];
    case 'app_install':
      return [];
  }
};

/**
 * Awaits a ProviderError of `kind` and checks its providerMessage; fails when the promise
 * resolves or throws anything else, and when the message or the error carries a secret.
 */
export const expectProviderError = async (
  promise: Promise<unknown>,
  kind: ProviderErrorKind,
  expected: { message?: string | RegExp; status?: number; secrets?: string[] } = {},
): Promise<ProviderError> => {
  let caught: unknown;
  try {
    const value = await promise;
    throw new Error(`expected a ProviderError ${kind}, got ${JSON.stringify(value)}`);
  } catch (e) {
    caught = e;
  }
  if (!isProviderError(caught)) throw caught;
  expect(caught.kind, caught.message).toBe(kind);
  if (typeof expected.message === 'string') expect(caught.providerMessage).toBe(expected.message);
  else if (expected.message) expect(caught.providerMessage).toMatch(expected.message);
  if (expected.status !== undefined) expect(caught.status).toBe(expected.status);
  const shown = `${caught.message} ${caught.providerMessage} ${JSON.stringify(caught)} ${caught.stack ?? ''}`;
  for (const secret of expected.secrets ?? []) {
    expect(secret.length).toBeGreaterThan(0);
    expect(shown).not.toContain(secret);
  }
  return caught;
};
