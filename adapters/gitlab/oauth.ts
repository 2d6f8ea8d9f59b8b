import { oauth2Flow } from '../oauth2';

/**
 * GitLab (gitlab.com and self-managed alike, Doorkeeper underneath) follows RFC 6749: a form
 * POST with the client credentials in the body, JSON answers, `{ error, error_description }`
 * with 400 (`invalid_grant`) or 401 (`invalid_client`). Access tokens last 2 hours
 * (`expires_in: 7200`). What needs care is rotation: every refresh answers a new refresh token
 * and revokes both the old refresh token and the old access token, so the answer must be
 * stored before anything else uses the connection; the old refresh token is `invalid_grant`.
 * https://docs.gitlab.com/api/oauth2/#authorization-code-with-proof-key-for-code-exchange-pkce
 */
export const oauth = oauth2Flow({
  provider: 'GitLab',
  // GitLab's documented refresh request carries the redirect_uri of the original grant too.
  // https://docs.gitlab.com/api/oauth2/#authorization-code-flow
  params: (ctx, grant) => (grant === 'refresh_token' ? { redirect_uri: ctx.redirectUri } : {}),
});
