import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { loadAdapter, type OAuthContext, type OAuthFunctions } from '../../../adapters';
import { loadManifests } from '../../../adapters/manifests';
import { providerHttp } from '../../../core/platform/provider-http';

/** Every provider's manifest, read once: the authorization URL is built from it synchronously. */
const manifests = new Map((await loadManifests()).map((m) => [m.name, m]));

/**
 * The OAuth2 dance of a connect session without core: the authorization URL built the way
 * core builds it (manifest settings, `{tenant}` → common, PKCE S256 when the manifest
 * says so), a browser that follows it to the provider's consent screen and stops at the
 * redirect back, and the token-call context core hands the adapter.
 */
export const REDIRECT_URI = 'https://connect.acme.test/v1/oauth/callback';

type FakeOAuth = {
  authorizationUrl: string;
  tokenUrl: string;
  oauthClient: { clientId: string; clientSecret: string };
};

export type Authorization = { url: string; state: string; scopes: string[]; codeVerifier?: string };

export const authorizationUrl = (
  provider: string,
  fake: FakeOAuth,
  o: {
    scopes?: string[];
    params?: Record<string, string | null>;
    redirectUri?: string;
    clientId?: string;
  } = {},
): Authorization => {
  const settings = manifests.get(provider)?.auth.oauth2;
  if (!settings) throw new Error(`${provider} has no oauth2 settings`);
  const url = new URL(fake.authorizationUrl.replace('{tenant}', 'common'));
  const p = url.searchParams;
  const state = randomBytes(32).toString('base64url');
  const scopes = o.scopes ?? settings.defaultScopes;
  p.set('response_type', 'code');
  p.set('client_id', o.clientId ?? fake.oauthClient.clientId);
  p.set('redirect_uri', o.redirectUri ?? REDIRECT_URI);
  if (scopes.length) p.set('scope', scopes.join(settings.scopeSeparator));
  p.set('state', state);
  for (const [k, v] of Object.entries(settings.authorizationParams ?? {})) p.set(k, v);
  let codeVerifier: string | undefined;
  if (settings.pkce) {
    codeVerifier = randomBytes(32).toString('base64url');
    p.set('code_challenge', createHash('sha256').update(codeVerifier).digest('base64url'));
    p.set('code_challenge_method', 'S256');
  }
  // Test-only changes to what core would send (null removes a parameter).
  for (const [k, v] of Object.entries(o.params ?? {})) {
    if (v === null) p.delete(k);
    else p.set(k, v);
  }
  return { url: url.toString(), state, scopes, ...(codeVerifier ? { codeVerifier } : {}) };
};

/** Opens the URL like a browser whose user consents; stops at the redirect. */
export const visit = async (
  url: string,
): Promise<{ status: number; location: URL | undefined; body: string }> => {
  const res = await fetch(url, { redirect: 'manual' });
  const location = res.headers.get('location');
  return { status: res.status, location: location ? new URL(location) : undefined, body: await res.text() };
};

/** The redirect back to us after consent: `{ code, state, … }` or `{ error, … }`. */
export const consent = async (auth: Authorization, redirectUri = REDIRECT_URI): Promise<URLSearchParams> => {
  const r = await visit(auth.url);
  expect(r.status, r.body).toBe(302);
  expect(r.location && `${r.location.origin}${r.location.pathname}`).toBe(redirectUri);
  const params = r.location?.searchParams ?? new URLSearchParams();
  expect(params.get('state')).toBe(auth.state);
  return params;
};

/** Authorizes and returns the code (with the verifier, when PKCE was used). */
export const authorize = async (
  provider: string,
  fake: FakeOAuth,
  o: Parameters<typeof authorizationUrl>[2] = {},
): Promise<Authorization & { code: string }> => {
  const auth = authorizationUrl(provider, fake, o);
  const params = await consent(auth);
  const code = params.get('code');
  expect(code, params.toString()).toBeTruthy();
  return { ...auth, code: code as string };
};

/** The adapter's OAuth flavour, as core picks it. */
export const oauthOf = async (provider: string): Promise<Required<OAuthFunctions>> => {
  const adapter = await loadAdapter(provider);
  if (!adapter) throw new Error(`no adapter ${provider}`);
  const o = adapter.oauth;
  if (!o?.refreshToken) throw new Error(`${provider} cannot refresh`);
  return { exchangeCode: o.exchangeCode, refreshToken: o.refreshToken };
};

/** What core hands the token calls: URLs resolved, the integration's client, the shared http client. */
export const tokenContext = (
  fake: FakeOAuth,
  scopes: string[],
  o: { clientSecret?: string; redirectUri?: string } = {},
): OAuthContext => ({
  tokenUrl: fake.tokenUrl.replace('{tenant}', 'common'),
  clientId: fake.oauthClient.clientId,
  clientSecret: o.clientSecret ?? fake.oauthClient.clientSecret,
  redirectUri: o.redirectUri ?? REDIRECT_URI,
  scopes,
  http: providerHttp,
});

/** exchangeCode as core calls it in the callback. */
export const exchange = async (
  provider: string,
  fake: FakeOAuth,
  auth: Authorization & { code: string },
  o: { clientSecret?: string; redirectUri?: string; codeVerifier?: string | null } = {},
) => {
  const verifier = o.codeVerifier === null ? undefined : (o.codeVerifier ?? auth.codeVerifier);
  return (await oauthOf(provider)).exchangeCode({
    ...tokenContext(fake, auth.scopes, o),
    code: auth.code,
    ...(verifier ? { codeVerifier: verifier } : {}),
  });
};
