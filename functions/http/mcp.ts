import * as z from 'zod/mini';
import { externalId } from '../../core/connections/read';
import { ApiError, isApiError } from '../../core/platform/errors';
import { actorOf } from '../../core/tools/audit';
import { handleMcp, jsonRpcErrorOf, type McpHttpAnswer, methodNotAllowed } from '../../core/tools/mcp';
import { workspaceId } from '../../core/tools/workspace-id';
import { authOf, endpoint, endUserOf, tenantOf, workspaceOf } from '../middleware';

const path = z.object({ workspace_id: workspaceId });
const query = z.strictObject({ end_user_id: z.optional(externalId) });

/** The workspace, when the token may act in it (workspaceOf), said for an MCP client. */
const boundTo = (req: Parameters<typeof workspaceOf>[0], ws: string): string => {
  try {
    return workspaceOf(req, ws) as string;
  } catch (e) {
    if (!isApiError(e)) throw e;
    const bound = (e.details.workspace_ids as string[] | undefined) ?? [];
    throw new ApiError('forbidden', e.message, {
      details: e.details,
      remediation: `Connect to ${bound.map((w) => `/v1/mcp/${w}`).join(' or ')}, or mint a token for this workspace.`,
    });
  }
};

const reply = (a: McpHttpAnswer) => ({ status: a.status, headers: a.headers, raw: { body: a.body } });

/**
 * POST /v1/mcp/{workspace_id} — the workspace's MCP server (core/tools/mcp.ts) for one end
 * user: an end-user token's (bound to this workspace when bound), or `?end_user_id=` with a
 * secret key. Every answer, errors of the auth and rate-limit middleware included, is JSON-RPC.
 */
export const handler = endpoint(
  { path, query },
  async (req) => {
    if (req.event.requestContext.http.method.toUpperCase() !== 'POST') return reply(methodNotAllowed());
    const workspace = boundTo(req, req.path.workspace_id);
    const endUserId = endUserOf(req, req.query.end_user_id) as string;
    const { body, isBase64Encoded } = req.event;
    return reply(
      await handleMcp(
        {
          tenantId: tenantOf(req),
          workspaceId: workspace,
          endUserId,
          actor: actorOf(authOf(req)),
          idempotencyKey: req.event.headers['idempotency-key'],
          invocation: req.context,
        },
        {
          method: 'POST',
          headers: req.event.headers,
          body: body && isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body,
        },
      ),
    );
  },
  {
    errorResponse: (e, requestId) => {
      const a = jsonRpcErrorOf(e, requestId);
      return { statusCode: a.status, headers: a.headers, body: a.body };
    },
  },
);
