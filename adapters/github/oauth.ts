import { oauth2Flow } from '../oauth2';

/**
 * GitHub's token endpoint, which departs from RFC 6749 in ways the shared flow reads as it is:
 * - it answers `application/x-www-form-urlencoded` unless asked for JSON with `Accept`, and a
 *   proxy or an older GitHub Enterprise Server may still answer form-encoded;
 * - it reports errors as HTTP 200 with `error`, `error_description` and `error_uri` in the body;
 * - `scope` in the answer is comma-separated (`repo,gist`), and empty for GitHub-App tokens,
 *   whose access is the app's permissions.
 * What is its own: a User-Agent on every request, and `bad_refresh_token` for a spent or
 * unknown refresh token, which the contract (and core, which then marks the connection
 * expired) knows by its RFC 6749 name.
 * OAuth-app tokens never expire and come alone; GitHub-App user tokens expire after 8 hours
 * and come with a refresh token good for 6 months, which is single use.
 * https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#2-users-are-redirected-back-to-your-site-by-github
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens
 */
export const oauth = oauth2Flow({
  provider: 'GitHub',
  headers: { 'user-agent': 'integrations-service' },
  invalidGrant: ['bad_refresh_token'],
});
