import { cursorFrom, scopeOf, startKeyFrom } from '../platform/paging';
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
  const scope = scopeOf('workspace-grants', { ws });
  const r = await repo.listGrants(tenantId, ws, page.limit, await startKeyFrom(tenantId, scope, page.cursor));
  return {
    integrations: (await liveOnly(r.items)).map(grantView),
    next_cursor: await cursorFrom(tenantId, scope, r.nextKey),
  };
};
