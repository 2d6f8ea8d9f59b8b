import * as z from 'zod/mini';
import { ApiError } from '../platform/errors';
import * as repo from '../store/connections-repo';
import { effectiveSyncStatus } from '../syncs/health';
import { pendingOver, restorePending } from './status';

/** Reading connections: no provider registry, no credentials. */
export const ID_PATTERN = /^[\w.@:+-]{1,128}$/;
export const externalId = z
  .string()
  .check(z.regex(ID_PATTERN, { message: 'Letters, digits and . _ @ : + -, 1 to 128.' }));

export const listQuery = {
  integration: z.optional(z.string().check(z.maxLength(64))),
  provider: z.optional(z.string().check(z.maxLength(100))),
  status: z.optional(z.enum(['pending_auth', 'active', 'expired', 'error', 'disconnected'])),
  end_user_id: z.optional(externalId),
  workspace_id: z.optional(externalId),
};

export const notFound = () =>
  new ApiError('not_found', 'No such connection.', {
    remediation: 'GET /v1/connections lists your connections.',
  });

export const connectionView = (c: repo.ConnectionItem) => ({
  id: c.connection_id,
  integration: c.integration,
  provider: c.provider,
  name: c.name,
  // A re-authorisation whose session ended shows the status it interrupted (see getConnection).
  status: pendingOver(c) ?? c.status,
  sync_status: effectiveSyncStatus(c),
  end_user_id: c.end_user_id,
  workspace_id: c.workspace_id ?? null,
  provider_account: c.provider_account,
  credentials: {
    type: c.credentials_meta.type,
    scopes: c.credentials_meta.scopes ?? null,
    expires_at: c.credentials_meta.expires_at ?? null,
  },
  metadata: c.metadata,
  config: c.config,
  last_synced_at: c.last_synced_at ?? null,
  created_at: c.created_at,
  updated_at: c.updated_at,
});

/** One connection; with `endUserId` (an end-user token), another user's is a 404 too. */
export const getConnection = async (
  tenantId: string,
  connectionId: string,
  endUserId?: string,
): Promise<repo.ConnectionItem> => {
  const c = await repo.getConnection(tenantId, connectionId);
  if (!c || (endUserId !== undefined && c.end_user_id !== endUserId)) throw notFound();
  // Restored lazily: the first read after a re-authorising session ended puts the status back.
  if (pendingOver(c)) return restorePending(c, 'The connect session ended without new credentials.');
  return c;
};
