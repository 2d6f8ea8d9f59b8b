import * as connections from '../store/connections-repo';
import * as repo from '../store/integrations-repo';
import { getIntegration } from './read';
import { deleteIntegrationSecret } from './secrets';

/**
 * DELETE /v1/integrations/{key}: a module of its own, apart from integrations.ts, because
 * the create and update bodies there are zod schemas built when the module loads (and the
 * provider registry they are checked against) — code this handler would load and never run.
 */

/** Deletes the integration, its connections and their credentials, and its secret. */
export const deleteIntegration = async (tenantId: string, key: string): Promise<void> => {
  const current = await getIntegration(tenantId, key);
  // From here no new connection sticks to it (repo.markDeleting says how).
  await repo.markDeleting(tenantId, key);
  // Each connection's item holds its sealed credentials: deleting it deletes them.
  for (const c of await connections.connectionsOfIntegration(tenantId, key)) {
    await connections.deleteConnection(c, { countOnIntegration: false });
  }
  await repo.deleteIntegrationItem(tenantId, key);
  if (current.secret_name) await deleteIntegrationSecret(current.secret_name);
};
