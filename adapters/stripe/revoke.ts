import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { oauthFailure } from '../oauth2';
import type { RevokeContext } from '../types';
import { authHeaders, failure } from './rest';

/**
 * Disconnects a Connect account from the platform: `POST /oauth/deauthorize` beside the token
 * endpoint, with the platform's `client_id` and the account's `stripe_user_id`, authenticated
 * with the platform's secret key (HTTP Basic, the key as user name). Every token of the grant
 * stops working. 200 `{ stripe_user_id }`; errors are RFC 6749's shape.
 * https://docs.stripe.com/connect/oauth-reference#post-deauthorize
 *
 * API keys are rolled or deleted in the Dashboard: there is no endpoint for it.
 */

const deauthorized = z.object({ stripe_user_id: z.string() });
const account = z.object({ id: z.string().check(z.startsWith('acct_')) });

/** The connected account: kept at connect time, else asked with the token (`GET /v1/account`). */
const accountOf = async (ctx: RevokeContext): Promise<string> => {
  const c = ctx.credentials;
  const kept = c.type === 'oauth2' ? c.extra?.stripe_user_id : undefined;
  if (kept) return kept;
  // https://docs.stripe.com/api/accounts/retrieve
  const res = await ctx.http(`${ctx.baseUrl}/v1/account`, { headers: authHeaders(c) });
  if (res.status !== 200) throw failure(res, c);
  const a = account.safeParse(res.jsonOrUndefined()).data;
  if (!a) throw new ProviderError('unreachable', 'Stripe answered GET /v1/account with an unexpected body.');
  return a.id;
};

export const revoke = async (ctx: RevokeContext): Promise<void> => {
  if (ctx.credentials.type !== 'oauth2') {
    throw new ProviderError(
      'rejected',
      'A Stripe API key is rolled or deleted in the Stripe Dashboard, not revoked by the app.',
    );
  }
  if (!ctx.clientId || !ctx.clientSecret)
    throw new ProviderError(
      'rejected',
      'Deauthorizing a Stripe account needs the integration’s client id and secret key.',
    );
  const stripeUserId = await accountOf(ctx);
  const url = new URL('/oauth/deauthorize', ctx.tokenUrl ?? 'https://connect.stripe.com/oauth/token');
  const res = await ctx.http(url.toString(), {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${ctx.clientSecret}:`).toString('base64')}` },
    body: new URLSearchParams({ client_id: ctx.clientId, stripe_user_id: stripeUserId }),
  });
  if (res.status === 200 && deauthorized.safeParse(res.jsonOrUndefined()).success) return;
  throw oauthFailure(res, 'Stripe');
};
