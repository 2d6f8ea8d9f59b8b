import * as z from 'zod/mini';
import { oauth2Flow, scopesOf } from '../oauth2';
import type { TokenSet } from '../types';

/**
 * Stripe Connect's token endpoint (`POST https://connect.stripe.com/oauth/token`), where it
 * departs from RFC 6749:
 * - the client authenticates with the platform's secret API key as `client_secret` (the
 *   integration's OAuth client secret is that `sk_…` key; Stripe has no separate OAuth secret);
 * - it takes no `redirect_uri`;
 * - the answer names the connected account (`stripe_user_id`), kept with the credentials for
 *   revocation (revoke.ts) and as metadata; `stripe_publishable_key` is not kept;
 * - access tokens never expire (no `expires_in`): the refresh grant only rolls them, so the
 *   flow declares none.
 * Errors are RFC 6749's `{ error, error_description }` (`invalid_grant` for a used code).
 * https://docs.stripe.com/connect/oauth-reference#post-token
 */

const answer = z.object({
  access_token: z.string().check(z.minLength(1)),
  refresh_token: z.optional(z.string()),
  scope: z.optional(z.string()),
  stripe_user_id: z.string().check(z.startsWith('acct_')),
  livemode: z.optional(z.boolean()),
});

const readTokens = (body: unknown): TokenSet | undefined => {
  const a = answer.safeParse(body).data;
  if (!a) return undefined;
  const scopes = scopesOf(a.scope);
  return {
    accessToken: a.access_token,
    ...(a.refresh_token ? { refreshToken: a.refresh_token } : {}),
    ...(scopes.length ? { scopes } : {}),
    extra: { stripe_user_id: a.stripe_user_id },
    metadata: {
      stripe_user_id: a.stripe_user_id,
      ...(a.livemode !== undefined ? { livemode: String(a.livemode) } : {}),
    },
  };
};

export const oauth = oauth2Flow({
  provider: 'Stripe',
  clientAuth: 'params',
  omit: ['redirect_uri'],
  readTokens,
  refreshes: false,
});
