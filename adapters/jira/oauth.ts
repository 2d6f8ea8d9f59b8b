import { oauth2Flow } from '../oauth2';

/**
 * Atlassian OAuth 2.0 (3LO): the token endpoint takes a JSON body (not a form), access
 * tokens last an hour, and refresh tokens (granted with `offline_access`) rotate: every
 * refresh returns a new one and disables the one sent. The cloud id is not in the token
 * answer: verifyCredentials finds it through accessible-resources.
 * https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/#2--exchange-authorization-code-for-access-token
 */
export const oauth = oauth2Flow({
  provider: 'Atlassian',
  encoding: 'json',
  /**
   * A refresh token Atlassian will never take again. It documents 403 `invalid_grant`
   * "Unknown or invalid refresh token." (rotated out, expired after 90 days idle, password
   * changed), and answers 403 `unauthorized_client` "refresh_token is invalid" for one it
   * does not know at all; both mean the user must authorize again.
   * https://developer.atlassian.com/cloud/oauth/getting-started/refresh-tokens/
   */
  invalidGrant: (e) => e.error === 'unauthorized_client' && /refresh.?token/i.test(e.message),
});
