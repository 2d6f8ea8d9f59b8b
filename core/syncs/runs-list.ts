import { readPage, scopeOf } from '../platform/paging';
import { listRuns, type RunFilter, type RunItem } from '../store/runs-repo';
import { runView, withStarts } from './runs';

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
  // `status=queued` and `running` are decided by the sync state for a run stored `queued`.
  const refine = async <R extends RunItem>(runs: R[]): Promise<R[]> => {
    const shown = await withStarts(tenantId, runs);
    return f.status === 'queued'
      ? shown.filter((x) => x.status === 'queued')
      : f.status === 'running'
        ? shown.filter((x) => x.status !== 'queued')
        : shown;
  };
  const { items, next_cursor } = await readPage(tenantId, scope, page, (limit, start) =>
    listRuns(tenantId, f, limit, start, refine),
  );
  return { sync_runs: items.map((x) => runView(x)), next_cursor };
};
