import type * as repo from '../store/connections-repo';
import { listRuns } from '../store/runs-repo';
import { asStarted, runView } from '../syncs/runs';
import { ensureSyncs, syncView } from '../syncs/syncs';
import { connectionView } from './read';

/*
 * Apart from connections.ts, which seals credentials: GET /v1/connections/{id} never reads
 * them, and importing that module kept the data key and the Secrets Manager client (15 KB)
 * in its bundle (esbuild's splitting keeps a shared chunk a module's imports reach).
 */
/** The connection as GET /v1/connections/{id} shows it: with its syncs and last 10 runs. */
export const connectionDetail = async (c: repo.ConnectionItem) => {
  const [states, runs] = await Promise.all([
    ensureSyncs(c),
    listRuns(c.tenant_id, { connection_id: c.connection_id }, 10, undefined),
  ]);
  // A started run is stored `queued`; its sync state (read here anyway) says it runs.
  const bySync = new Map(states.map((s) => [s.sync, s]));
  return {
    ...connectionView(c),
    syncs: states.map(syncView),
    sync_runs: runs.items.map((r) => runView(asStarted(r, bySync.get(r.sync)))),
  };
};
