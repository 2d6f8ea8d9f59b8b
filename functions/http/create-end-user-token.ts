import * as z from 'zod/mini';
import { externalId } from '../../core/connections/read';
import {
  DEFAULT_TTL_SECONDS,
  MAX_TOKEN_WORKSPACES,
  MAX_TTL_SECONDS,
  MIN_TTL_SECONDS,
  mintEndUserToken,
} from '../../core/tenants/end-user-tokens';
import { workspaceId } from '../../core/tools/workspace-id';
import { endpoint } from '../middleware';

const body = z.strictObject({
  end_user_id: externalId,
  workspace_ids: z.optional(z.array(workspaceId).check(z.minLength(1), z.maxLength(MAX_TOKEN_WORKSPACES))),
  ttl_seconds: z._default(
    z.int().check(z.minimum(MIN_TTL_SECONDS), z.maximum(MAX_TTL_SECONDS)),
    DEFAULT_TTL_SECONDS,
  ),
});

/**
 * POST /v1/end-user-tokens — an `eut_…` for your frontend, bound to one end user and, with
 * `workspace_ids`, to those workspaces: it then lists and runs only the tools granted there.
 */
export const handler = endpoint({ body }, async (req) => {
  // A secret-key route: the auth middleware let nothing else through.
  if (req.auth?.kind !== 'secret_key') throw new Error('end-user tokens are minted with a secret key');
  // The token names the key that minted it: revoking that key revokes the token.
  const { token, expiresAt } = await mintEndUserToken(
    req.auth,
    req.body.end_user_id,
    req.body.ttl_seconds,
    req.body.workspace_ids,
  );
  return {
    status: 201,
    data: {
      token,
      end_user_id: req.body.end_user_id,
      workspace_ids: req.body.workspace_ids ? [...new Set(req.body.workspace_ids)] : null,
      expires_at: expiresAt,
    },
  };
});
