import { createSign } from 'node:crypto';
import { ProviderError } from '../errors';

const base64url = (s: string) => Buffer.from(s).toString('base64url');

/**
 * The app's JWT: RS256 over {iat, exp, iss}, backdated 60 s against clock drift and
 * expiring within GitHub's 10-minute limit. Signs the calls made as the app itself:
 * reading an installation, minting its access tokens.
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app
 */
export const appJwt = (app: { appId: string; privateKey: string }): string => {
  const now = Math.floor(Date.now() / 1000);
  // A numeric app id goes as a number, as GitHub's own libraries send it; a client id as is.
  const iss = /^\d+$/.test(app.appId) ? Number(app.appId) : app.appId;
  const signingInput = `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${base64url(
    JSON.stringify({ iat: now - 60, exp: now + 540, iss }),
  )}`;
  let signature: string;
  try {
    signature = createSign('RSA-SHA256').update(signingInput).sign(app.privateKey, 'base64url');
  } catch {
    throw new ProviderError(
      'rejected',
      "The integration's GitHub App private key is not a valid PEM RSA key.",
    );
  }
  return `${signingInput}.${signature}`;
};

/** Checked before an installation id goes into a URL path. */
export const checkInstallationId = (installationId: string): void => {
  if (!/^\d+$/.test(installationId)) {
    throw new ProviderError('rejected', 'A GitHub installation_id is a number.');
  }
};
