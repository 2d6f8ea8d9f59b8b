import * as z from 'zod/mini';
import { externalId } from '../../core/connections/read';
import {
  DEFAULT_TTL_SECONDS,
  MAX_TTL_SECONDS,
  MIN_TTL_SECONDS,
  mintEndUserToken,
} from '../../core/tenants/end-user-tokens';
import { endpoint } from '../middleware';

const body = z.strictObject({
  end_user_id: externalId,
  ttl_seconds: z._default(
    z.int().check(z.minimum(MIN_TTL_SECONDS), z.maximum(MAX_TTL_SECONDS)),
    DEFAULT_TTL_SECONDS,
  ),
});

/** POST /v1/end-user-tokens — an `eut_…` for your frontend, bound to one end user. */
export const handler = endpoint({ body }, async (req) => {
  // A secret-key route: the auth middleware let nothing else through.
  if (req.auth?.kind !== 'secret_key') throw new Error('end-user tokens are minted with a secret key');
  // The token names the key that minted it: revoking that key revokes the token.
  const { token, expiresAt } = await mintEndUserToken(req.auth, req.body.end_user_id, req.body.ttl_seconds);
  return { status: 201, data: { token, end_user_id: req.body.end_user_id, expires_at: expiresAt } };
});
