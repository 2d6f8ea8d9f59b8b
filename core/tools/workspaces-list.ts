import { readPage, scopeOf } from '../platform/paging';
import * as repo from '../store/workspaces-repo';
import { grantView, liveOnly } from './workspaces';

/*
 * A workspace's grants, a page at a time, apart from workspaces.ts: its cursors need the
 * data key, and esbuild's splitting keeps the shared chunk holding it (with the Secrets
 * Manager client, 15 KB) in every handler whose modules import it, used or not — the
 * other grant handlers and those that read grants to run tools.
 */
export const listGrants = async (
  tenantId: string,
  ws: string,
  page: { limit: number; cursor?: string | undefined },
) => {
  const { items, next_cursor } = await readPage(
    tenantId,
    scopeOf('workspace-grants', { ws }),
    page,
    (limit, start) => repo.listGrants(tenantId, ws, limit, start),
  );
  return { integrations: (await liveOnly(items)).map(grantView), next_cursor };
};
