import { oauth2Flow } from '../oauth2';

/**
 * Bitbucket's token endpoint follows RFC 6749 with two differences: the client authenticates
 * with HTTP Basic (`-u client_id:secret`, as Bitbucket documents it, not in the body), and
 * the answer names the granted scopes `scopes` (which the shared reader takes). Access tokens
 * last 2 hours; the refresh token does not expire, and the answer to a refresh carries the
 * one to keep. Errors are RFC 6749's `{ error, error_description }`.
 * https://developer.atlassian.com/cloud/bitbucket/oauth-2/#1--authorization-code-grant--4-1-
 * https://developer.atlassian.com/cloud/bitbucket/oauth-2/#refresh-tokens
 */
export const oauth = oauth2Flow({ provider: 'Bitbucket', clientAuth: 'basic' });
