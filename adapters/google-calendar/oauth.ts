import { oauth2Flow } from '../oauth2';

/**
 * Google's token endpoint follows RFC 6749 (form POST, client_secret_post, `{ error,
 * error_description }`), with two things to know:
 * - a refresh token comes only with access_type=offline, and only when the user sees the
 *   consent screen (the first time, or with prompt=consent): an answer without one must
 *   not replace the one already held (core keeps it);
 * - refresh tokens do not rotate: a refresh answers a new access token only, and the same
 *   refresh token keeps working until revoked (`invalid_grant` "Token has been expired or
 *   revoked."). Apps in testing, and time-based access, get `refresh_token_expires_in`,
 *   which the shared reader keeps as metadata.
 * https://developers.google.com/identity/protocols/oauth2/web-server#exchange-authorization-code
 * https://developers.google.com/identity/protocols/oauth2/web-server#offline
 */
export const oauth = oauth2Flow({ provider: 'Google' });
