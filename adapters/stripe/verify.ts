import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { parseAnswer } from '../parse';
import type { VerifiedAccount, VerifyContext } from '../types';
import { authHeaders, failure } from './rest';

// https://docs.stripe.com/api/accounts/object
const account = z.object({
  id: z.string().check(z.startsWith('acct_')),
  email: z.optional(z.nullable(z.string())),
  business_profile: z.optional(z.nullable(z.object({ name: z.optional(z.nullable(z.string())) }))),
  settings: z.optional(
    z.nullable(
      z.object({
        dashboard: z.optional(z.nullable(z.object({ display_name: z.optional(z.nullable(z.string())) }))),
      }),
    ),
  ),
});

// https://docs.stripe.com/api/balance/balance_object
const balance = z.object({ object: z.literal('balance'), livemode: z.boolean() });

/**
 * A restricted key's permission refusal names the account it belongs to: "The provided key
 * 'rk_test_***' does not have the required permissions for this endpoint on account
 * 'acct_1Nv0FGQ9RKHgCVdK'. Having the 'rak_…_read' permission would allow this request to
 * continue." https://docs.stripe.com/keys#limit-access
 */
const accountInRefusal = (message: string): string | undefined =>
  /\bon account '(acct_[A-Za-z0-9]+)'/.exec(message)?.[1];

/** Test-mode keys say so in their prefix (`sk_test_`, `rk_test_`); Connect tokens too. */
const livemodeOf = (secret: string): string | undefined =>
  /^(?:sk|rk)_live_/.test(secret) ? 'true' : /^(?:sk|rk)_test_/.test(secret) ? 'false' : undefined;

/**
 * Who the credentials are: `GET /v1/account` — the account of a secret or restricted key, or
 * the connected account of a Connect access token.
 * https://docs.stripe.com/api/accounts/retrieve
 *
 * A restricted key (`rk_…`) made only for billing data may lack the Account read permission:
 * Stripe then answers 403 naming the account. The key is proven instead with
 * `GET /v1/balance`, the cheapest read (https://docs.stripe.com/api/balance/balance_retrieve),
 * and the account is the one the refusal named; the name is then the id, since nothing the
 * key may read says more. A refusal that names no account is passed on as it is.
 *
 * Metadata: `account_id`, and `auth` — `connect` for an OAuth connection (events of connected
 * accounts carry their `account`), `api_key` for a key of the account itself (its own
 * endpoint's events carry none): webhook-keys.ts keys a connection by both.
 */
export const verifyCredentials = async (ctx: VerifyContext): Promise<VerifiedAccount> => {
  const c = ctx.credentials;
  const headers = authHeaders(c);
  const secret = c.type === 'api_key' ? c.api_key : c.type === 'oauth2' ? c.access_token : '';
  const mode = livemodeOf(secret);
  const meta = (id: string) => ({
    account_id: id,
    auth: c.type === 'oauth2' ? 'connect' : 'api_key',
    ...(mode ? { livemode: mode } : {}),
  });

  const res = await ctx.http(`${ctx.baseUrl}/v1/account`, { headers });
  if (res.status === 200) {
    const a = parseAnswer('Stripe', account, res, 'GET /v1/account');
    const name = a.business_profile?.name || a.settings?.dashboard?.display_name || a.email || a.id;
    return { account: { id: a.id, name }, metadata: meta(a.id) };
  }
  const refused = failure(res, c);
  const named = res.status === 403 ? accountInRefusal(refused.providerMessage) : undefined;
  if (!named) throw refused;

  const bal = await ctx.http(`${ctx.baseUrl}/v1/balance`, { headers });
  if (bal.status !== 200) throw failure(bal, c);
  const b = parseAnswer('Stripe', balance, bal, 'GET /v1/balance');
  if (mode !== undefined && String(b.livemode) !== mode)
    throw new ProviderError('unreachable', 'Stripe answered a balance of the other mode than the key.');
  return { account: { id: named, name: named }, metadata: { ...meta(named), livemode: String(b.livemode) } };
};
