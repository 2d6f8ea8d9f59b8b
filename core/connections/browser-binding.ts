import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Binding a connect flow to the browser that started it. `GET /v1/connect/start` sets a
 * cookie holding a random nonce and stores only its hash with the authorization's state;
 * the callback takes a state only from a browser that presents the nonce. A state that
 * leaks (a URL in a log, a Referer, a link handed to someone else) is then worthless
 * without the cookie, which never leaves that browser.
 *
 * `__Host-`: only ever set by this host, over HTTPS, for the whole path — a sibling
 * subdomain cannot plant or overwrite it. HttpOnly: no script reads it. SameSite=Lax: sent
 * on the provider's top-level redirect back (a GET), not on cross-site subrequests.
 * One cookie per session, so two connect flows in one browser do not overwrite each other.
 * https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#name-the-__host-prefix
 * https://www.rfc-editor.org/rfc/rfc9700#section-4.7.1
 */
const ATTRIBUTES = 'Path=/; Secure; HttpOnly; SameSite=Lax';

const sha256 = (s: string) => createHash('sha256').update(s).digest();

export const bindingCookieName = (sessionId: string): string => `__Host-${sessionId}`;

/** A fresh nonce: the Set-Cookie for the browser and the hash to keep with the state. */
export const newBinding = (sessionId: string, validUntil: string): { setCookie: string; hash: string } => {
  const nonce = randomBytes(32).toString('base64url');
  const maxAge = Math.max(1, Math.ceil((Date.parse(validUntil) - Date.now()) / 1000));
  return {
    setCookie: `${bindingCookieName(sessionId)}=${nonce}; Max-Age=${maxAge}; ${ATTRIBUTES}`,
    hash: sha256(nonce).toString('hex'),
  };
};

/**
 * Whether the request's cookies (API Gateway's `cookies`: `name=value` each) hold the nonce
 * whose hash was stored. Hand-written: a cookie pair is split at its first `=`, nothing more.
 */
export const browserMatches = (
  cookies: readonly string[],
  sessionId: string,
  expectedHash: string | undefined,
): boolean => {
  if (!expectedHash || !/^[0-9a-f]{64}$/.test(expectedHash)) return false;
  const expected = Buffer.from(expectedHash, 'hex');
  const name = bindingCookieName(sessionId);
  for (const pair of cookies) {
    const i = pair.indexOf('=');
    if (i < 0 || pair.slice(0, i).trim() !== name) continue;
    if (timingSafeEqual(sha256(pair.slice(i + 1).trim()), expected)) return true;
  }
  return false;
};
