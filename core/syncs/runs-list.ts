import { cursorFrom, scopeOf, startKeyFrom } from '../platform/paging';
import { listRuns, type RunFilter } from '../store/runs-repo';
import { runView } from './runs';

/*
 * GET /v1/sync-runs, apart from runs.ts: its cursors need the data key, and esbuild's
 * splitting keeps the shared chunk holding it (with the Secrets Manager client, 15 KB) in
 * every handler whose modules import it, used or not — runView's readers among them.
 */
export const listSyncRuns = async (
  tenantId: string,
  f: RunFilter,
  page: { limit: number; cursor?: string | undefined },
) => {
  const scope = scopeOf('sync-runs', f);
  const r = await listRuns(tenantId, f, page.limit, await startKeyFrom(tenantId, scope, page.cursor));
  return {
    sync_runs: r.items.map((x) => runView(x)),
    next_cursor: await cursorFrom(tenantId, scope, r.nextKey),
  };
};
