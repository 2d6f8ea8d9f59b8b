import { oauth2Flow } from '../oauth2';

/**
 * Linear's token endpoint: RFC 6749 with a form-encoded body (Linear insists on
 * `application/x-www-form-urlencoded`) and `{ error, error_description }` errors. Since
 * 1 April 2026 every app gets access tokens valid 24 hours (`expires_in: 86399`) with a
 * refresh token, and each refresh answers a new refresh token in place of the one used.
 * `scope` in the answer is space-separated although the authorize URL takes commas, and apps
 * created before December 2023 get it as an array of strings: the shared reader takes both.
 * https://linear.app/developers/oauth-2-0-authentication#exchange-code-for-an-access-token
 * https://linear.app/developers/oauth-2-0-authentication#refresh-an-access-token
 */
export const oauth = oauth2Flow({ provider: 'Linear' });
