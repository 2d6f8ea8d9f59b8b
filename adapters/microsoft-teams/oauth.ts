import { oauth2Flow } from '../oauth2';

/**
 * The Microsoft identity platform (Entra ID) v2.0 token endpoint, per tenant
 * (`/{tenant}/oauth2/v2.0/token`, the URL core resolves). A form POST like RFC 6749, but it
 * wants the `scope` again on both grants (with `offline_access`, or no refresh token comes
 * back), and its errors add AADSTS numbers and trace lines to `error_description` (the shared
 * reader keeps the first line). Every refresh returns a new refresh token; the old one is not
 * revoked, but only the newest is worth keeping.
 * https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#redeem-a-code-for-an-access-token
 * https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#refresh-the-access-token
 */

/** Without offline_access Entra issues no refresh token, whatever else was granted. */
const scopeParam = (scopes: string[]): string =>
  (scopes.includes('offline_access') ? scopes : [...scopes, 'offline_access']).join(' ');

export const oauth = oauth2Flow({
  provider: 'Microsoft',
  params: (ctx) => ({ scope: scopeParam(ctx.scopes) }),
  /**
   * On a refresh, `interaction_required` (MFA or a Conditional Access policy now demands the
   * user) means the grant is gone until the user signs in again, as `invalid_grant` does
   * (revoked, expired after 90 days idle, password reset, AADSTS50173/700082).
   * https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#error-codes-for-token-endpoint-errors
   */
  invalidGrant: ['interaction_required'],
});
