import * as z from 'zod/mini';
import { getConnection } from '../connections/read';
import { decodeCursor, encodeCursor } from '../platform/cursor';
import { ApiError } from '../platform/errors';
import { scopeOf } from '../platform/paging';
import { getConnection as findConnection } from '../store/connections-repo';
import { listToolViews } from './catalog';
import { workspaceId } from './workspace-id';
import { allGrants } from './workspaces';

/**
 * Tools (API.md "Tools and actions"): listing them, from the providers' manifests alone.
 * Executing one is core/tools/execute.ts, which loads the one provider's code it runs.
 */

export const toolsQuery = {
  provider: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  connection_id: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  workspace_id: z.optional(workspaceId),
};

export const listTools = async (
  tenantId: string,
  filter: {
    provider?: string | undefined;
    connection_id?: string | undefined;
    workspace_id?: string | undefined;
  },
  endUserId: string | undefined,
  page: { limit: number; cursor?: string | undefined },
) => {
  let tools = await listToolViews();
  if (filter.provider !== undefined) tools = tools.filter((t) => t.provider === filter.provider);
  if (filter.connection_id !== undefined) {
    const c = await getConnection(tenantId, filter.connection_id, endUserId);
    tools = tools.filter((t) => t.provider === c.provider);
  }
  if (filter.workspace_id !== undefined) {
    const grants = (await allGrants(tenantId, filter.workspace_id)).filter(
      (g) => filter.connection_id === undefined || g.connection_id === filter.connection_id,
    );
    // An end user sees only the grants of their own connections.
    const mine =
      endUserId === undefined
        ? grants
        : (
            await Promise.all(
              grants.map(async (g) =>
                (await findConnection(tenantId, g.connection_id))?.end_user_id === endUserId ? g : undefined,
              ),
            )
          ).filter((g) => g !== undefined);
    const enabled = new Set(mine.flatMap((g) => g.enabled_tools));
    tools = tools.filter((t) => enabled.has(t.name));
  }
  const scope = scopeOf('tools', { ...filter, eu: endUserId });
  let offset = 0;
  if (page.cursor !== undefined) {
    const d = await decodeCursor(tenantId, scope, page.cursor);
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ApiError('invalid_cursor', 'The cursor is not valid for this list.');
    }
    offset = d;
  }
  const next = offset + page.limit;
  return {
    tools: tools.slice(offset, next),
    next_cursor: next < tools.length ? await encodeCursor(tenantId, scope, next) : null,
  };
};
