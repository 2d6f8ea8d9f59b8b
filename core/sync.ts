import { getConnection } from './store/connections-repo';

export type SyncMessage = { tenant_id: string; connection_id: string; sync: string; run_id: string };

/**
 * Runs one queued sync. A message for a connection that no longer exists is done:
 * the connection was deleted after the run was queued, and retrying can't help.
 */
export const runSync = async (msg: SyncMessage): Promise<'dropped'> => {
  const connection = await getConnection(msg.tenant_id, msg.connection_id);
  if (!connection) return 'dropped';
  throw new Error(`sync ${msg.sync} of ${msg.connection_id}: no sync engine in this build`);
};
