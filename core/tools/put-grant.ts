import * as z from 'zod/mini';
import { getConnection } from '../connections/read';
import { ApiError } from '../platform/errors';
import * as repo from '../store/workspaces-repo';
import { toolsOf } from './catalog';
import { grantView } from './workspaces';

/**
 * PUT /v1/workspaces/{workspace_id}/integrations/{connection_id}. On its own: checking the
 * enabled tools reads the provider's manifest, which the other grant handlers never need
 * (and so have no manifest registry in their module graph).
 */

export const grantBody = z.strictObject({
  enabled_tools: z.array(z.string().check(z.minLength(1), z.maxLength(200))).check(z.maxLength(500)),
  default_project: z.optional(z.nullable(z.string().check(z.minLength(1), z.maxLength(500)))),
});

/** PUT: creates or replaces the grant; every enabled tool must be one of the connection's provider. */
export const putGrant = async (
  tenantId: string,
  ws: string,
  connectionId: string,
  body: z.infer<typeof grantBody>,
) => {
  const c = await getConnection(tenantId, connectionId);
  const offered = new Set((await toolsOf(c.provider)).map((t) => t.name));
  const unknown = body.enabled_tools.map((name, i) => ({ name, i })).filter(({ name }) => !offered.has(name));
  if (unknown.length) {
    throw new ApiError('validation_failed', `Some tools are not tools of ${c.provider}.`, {
      details: {
        issues: unknown.map(({ name, i }) => ({
          path: `body.enabled_tools.${i}`,
          message: `No tool '${name.slice(0, 200)}' for ${c.provider}.`,
        })),
        available: [...offered],
      },
      remediation: `GET /v1/tools?connection_id=${connectionId} lists this connection's tools.`,
    });
  }
  const now = new Date().toISOString();
  const before = await repo.getGrant(tenantId, ws, connectionId);
  const grant: repo.GrantItem = {
    tenant_id: tenantId,
    workspace_id: ws,
    connection_id: connectionId,
    provider: c.provider,
    integration: c.integration,
    enabled_tools: [...new Set(body.enabled_tools)],
    default_project: body.default_project ?? null,
    created_at: before?.created_at ?? now,
    updated_at: now,
  };
  await repo.putGrant(grant);
  return grantView(grant);
};
