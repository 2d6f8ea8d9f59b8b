import { ApiError } from '../platform/errors';
import { type ConnectionItem, getConnection as findConnection } from '../store/connections-repo';
import * as repo from '../store/workspaces-repo';

/**
 * Workspace grants (API.md "Workspaces"): a connection granted to one of the tenant's
 * workspaces, with the tools enabled there. Agents act through grants: executing a tool
 * with a `workspace_id` needs the tool enabled in that workspace's grant of the connection.
 */

export { workspaceId } from './workspace-id';

export const grantView = (g: repo.GrantItem) => ({
  workspace_id: g.workspace_id,
  connection_id: g.connection_id,
  provider: g.provider,
  integration: g.integration,
  enabled_tools: g.enabled_tools,
  default_project: g.default_project,
  created_at: g.created_at,
  updated_at: g.updated_at,
});

const noGrant = () =>
  new ApiError('not_found', 'This connection is not granted to this workspace.', {
    remediation: 'PUT /v1/workspaces/{workspace_id}/integrations/{connection_id} grants it.',
  });

/**
 * The grant, if its connection still exists: a deleted connection's grants are removed
 * when they are next read (the connection's deletion can't list them without an index).
 */
export const liveOnly = async (grants: repo.GrantItem[]): Promise<repo.GrantItem[]> => {
  const live = await Promise.all(
    grants.map(async (g) => {
      if (await findConnection(g.tenant_id, g.connection_id)) return g;
      await repo.deleteGrant(g.tenant_id, g.workspace_id, g.connection_id);
      return undefined;
    }),
  );
  return live.filter((g) => g !== undefined);
};

export const findGrant = async (tenantId: string, ws: string, connectionId: string) => {
  const g = await repo.getGrant(tenantId, ws, connectionId);
  return g ? (await liveOnly([g]))[0] : undefined;
};

export const getGrant = async (tenantId: string, ws: string, connectionId: string) => {
  const g = await findGrant(tenantId, ws, connectionId);
  if (!g) throw noGrant();
  return grantView(g);
};

export const deleteGrant = async (tenantId: string, ws: string, connectionId: string) => {
  if (!(await repo.deleteGrant(tenantId, ws, connectionId))) throw noGrant();
  return { workspace_id: ws, connection_id: connectionId, deleted: true };
};

const everyGrant = async (tenantId: string, ws: string): Promise<repo.GrantItem[]> => {
  const out: repo.GrantItem[] = [];
  let start: Awaited<ReturnType<typeof repo.listGrants>>['nextKey'];
  do {
    const r = await repo.listGrants(tenantId, ws, 100, start);
    out.push(...r.items);
    start = r.nextKey;
  } while (start && out.length < 1000);
  return out;
};

/** Every live grant of a workspace (for GET /v1/tools?workspace_id=), at most 1,000. */
export const allGrants = async (tenantId: string, ws: string): Promise<repo.GrantItem[]> =>
  liveOnly(await everyGrant(tenantId, ws));

/** Every live grant of a workspace with its connection, each read once (MCP's tools). */
export const grantsWithConnections = async (
  tenantId: string,
  ws: string,
): Promise<{ grant: repo.GrantItem; connection: ConnectionItem }[]> => {
  const found = await Promise.all(
    (await everyGrant(tenantId, ws)).map(async (grant) => {
      const connection = await findConnection(tenantId, grant.connection_id);
      if (connection) return { grant, connection };
      await repo.deleteGrant(tenantId, ws, grant.connection_id);
      return undefined;
    }),
  );
  return found.filter((g) => g !== undefined);
};
