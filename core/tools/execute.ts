import * as z from 'zod/mini';
import { isProviderError } from '../../adapters/errors';
import { hasToolset, loadToolset } from '../../adapters/toolsets';
import type { Action, ActionContext, Credentials, Toolset } from '../../adapters/types';
import { markRefused, refusesCredentials } from '../connections/lifecycle';
import { getConnection } from '../connections/read';
import { adapterCredentials, credentialsAfter401, getToken, renewable } from '../connections/tokens';
import { getIntegration } from '../integrations/read';
import { ApiError } from '../platform/errors';
import { logger } from '../platform/log';
import { providerHttp } from '../platform/provider-http';
import { apiBaseUrl } from '../providers/context';
import { refusalRemediations } from '../providers/errors';
import type { ConnectionItem } from '../store/connections-repo';
import { type Actor, inputSha256, outcomeOf, recordToolCall } from './audit';
import { parseToolName } from './catalog';
import type { InvocationContext } from './idempotent';
import { workspaceId } from './workspace-id';
import { findGrant } from './workspaces';

/**
 * POST /v1/tools/execute (API.md "Tools and actions"): runs one tool against a connection —
 * input validated by the tool's schema, the grant checked when a workspace is named, the
 * provider's answer mapped: refusal → 422 action_failed, network/5xx → 502, its rate
 * limit → 429 with Retry-After. A writing tool runs at most once per Idempotency-Key.
 * Only the tool's provider is loaded, its actions on its account (adapters/toolsets.ts: no
 * syncs, no webhook handling), found from the tool's name.
 */

/** A tool with its provider's code. */
type Tool = { name: string; adapter: Toolset; action: Action };

export const executeBody = z.strictObject({
  tool: z.string().check(z.minLength(1), z.maxLength(200)),
  connection_id: z.string().check(z.minLength(1), z.maxLength(200)),
  workspace_id: z.optional(workspaceId),
  end_user_id: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  input: z._default(z.record(z.string(), z.unknown()), {}),
});
export type ExecuteBody = z.infer<typeof executeBody>;

const invalid = (path: string, message: string, remediation?: string) =>
  new ApiError('validation_failed', message, {
    details: { issues: [{ path, message }] },
    ...(remediation ? { remediation } : {}),
  });

/** A provider's answer to an action, as API.md says it. */
const actionError = (e: unknown, tool: Tool): unknown => {
  if (!isProviderError(e)) return e;
  const provider = tool.adapter.manifest.displayName;
  if (e.kind === 'rejected') {
    return new ApiError('action_failed', `${provider} refused ${tool.name}: ${e.providerMessage}`, {
      details: {
        tool: tool.name,
        provider_message: e.providerMessage,
        ...(e.status ? { provider_status: e.status } : {}),
        ...(e.code ? { provider_code: e.code } : {}),
      },
      remediation: 'Check the input against what the provider expects; nothing was changed there.',
    });
  }
  if (e.kind === 'rate_limited') {
    const retry = Math.max(1, e.retryAfterSeconds ?? 60);
    return new ApiError('rate_limited', `${provider} is rate limiting this connection.`, {
      details: { tool: tool.name, provider: tool.adapter.manifest.name, retry_after_seconds: retry },
      headers: { 'retry-after': String(retry) },
      remediation: `Retry after ${retry} seconds.`,
    });
  }
  return new ApiError('provider_unreachable', `${provider} could not be reached: ${e.providerMessage}`, {
    details: {
      tool: tool.name,
      provider: tool.adapter.manifest.name,
      ...(e.status ? { provider_status: e.status } : {}),
    },
    remediation:
      refusalRemediations[e.code ?? ''] ??
      (tool.action.writes
        ? 'Retry with the same Idempotency-Key; check at the provider first if the change may have landed.'
        : 'Retry later.'),
  });
};

/** The action's code, bound to input its schema parsed. */
type BoundAction = (ctx: ActionContext) => Promise<Record<string, unknown>>;

/** Runs the action with the connection's fresh credentials; a 401 renews them once. */
const runAction = async (tenantId: string, c: ConnectionItem, tool: Tool, action: BoundAction) => {
  const integration = await getIntegration(tenantId, c.integration);
  const call = (credentials: Credentials) =>
    action({
      credentials,
      config: c.config,
      metadata: c.provider_metadata ?? {},
      baseUrl: apiBaseUrl(integration, tool.adapter, c.config, credentials),
      http: providerHttp,
    });
  try {
    const credentials = adapterCredentials(await getToken(tenantId, c.connection_id, false));
    try {
      return await call(credentials);
    } catch (e) {
      // Refused as unauthenticated, the provider changed nothing: renew and try once more.
      if (!renewable(e, c)) throw e;
      return await call(await credentialsAfter401(tenantId, c.connection_id, credentials));
    }
  } catch (e) {
    // Refused again after renewal, or not renewable at all: the connection is `error`.
    if (refusesCredentials(e) && isProviderError(e)) await markRefused(c, e.providerMessage);
    throw actionError(e, tool);
  }
};

export type ExecuteOptions = {
  idempotencyKey?: string | undefined;
  context?: InvocationContext | undefined;
};

/**
 * Runs a tool and records the call in the audit trail (core/tools/audit.ts) whatever its
 * outcome — the one path for /v1/tools/execute and MCP's tools/call.
 */
export const executeTool = async (
  tenantId: string,
  body: ExecuteBody,
  endUserId: string | undefined,
  audit: { actor: Actor; via: 'api' | 'mcp' },
  options: ExecuteOptions = {},
) => {
  const startedAt = performance.now();
  const seen: { connection?: ConnectionItem; tool?: Tool } = {};
  let outcome = 'success';
  try {
    return await run(tenantId, body, endUserId, options, seen);
  } catch (e) {
    outcome = outcomeOf(e);
    throw e;
  } finally {
    // The metric filter ToolCalls (lib/observability.ts) counts these lines by provider and outcome.
    logger.info('tool call', {
      provider: seen.connection?.provider ?? 'unknown',
      tool: seen.tool?.name ?? body.tool.slice(0, 200),
      outcome,
      via: audit.via,
    });
    await recordToolCall({
      tenantId,
      tool: seen.tool?.name ?? body.tool,
      connectionId: seen.connection?.connection_id,
      workspaceId: body.workspace_id,
      endUserId: seen.connection?.end_user_id ?? endUserId,
      actor: audit.actor,
      via: audit.via,
      outcome,
      startedAt,
      inputSha256: inputSha256(body.input),
    });
  }
};

const run = async (
  tenantId: string,
  body: ExecuteBody,
  endUserId: string | undefined,
  options: ExecuteOptions,
  seen: { connection?: ConnectionItem; tool?: Tool },
) => {
  const ref = parseToolName(body.tool, hasToolset);
  const adapter = ref && (await loadToolset(ref.provider));
  const action = ref && adapter?.actions[ref.action];
  const tool: Tool | undefined = adapter && action ? { name: body.tool, adapter, action } : undefined;
  if (!tool) {
    throw invalid(
      'body.tool',
      `No tool named '${body.tool.slice(0, 200)}'.`,
      'GET /v1/tools lists the tools.',
    );
  }
  seen.tool = tool;
  const c = await getConnection(tenantId, body.connection_id, endUserId);
  seen.connection = c;
  const provider = tool.adapter.manifest.name;
  if (c.provider !== provider) {
    throw invalid(
      'body.connection_id',
      `The connection is a ${c.provider} connection; ${tool.name} needs a ${provider} one.`,
      `GET /v1/tools?connection_id=${c.connection_id} lists this connection's tools.`,
    );
  }
  let input: Record<string, unknown> = body.input;
  if (body.workspace_id !== undefined) {
    const grant = await findGrant(tenantId, body.workspace_id, c.connection_id);
    if (!grant?.enabled_tools.includes(tool.name)) {
      throw new ApiError(
        'forbidden',
        `${tool.name} is not enabled for this connection in workspace ${body.workspace_id}.`,
        {
          details: { tool: tool.name, workspace_id: body.workspace_id, connection_id: c.connection_id },
          remediation:
            'PUT /v1/workspaces/{workspace_id}/integrations/{connection_id} with the tool in enabled_tools.',
        },
      );
    }
    // The workspace's default project fills the tool's project field when left out.
    const field = tool.action.projectField;
    if (field && grant.default_project && input[field] === undefined)
      input = { ...input, [field]: grant.default_project };
  }
  const parsed = tool.action.prepare(input);
  if (!parsed.success) {
    throw new ApiError('validation_failed', `The input does not match ${tool.name}'s schema.`, {
      details: {
        issues: parsed.issues.map((i) => ({
          path: ['input', ...i.path.map(String)].join('.'),
          message: i.message,
        })),
      },
      remediation: `GET /v1/tools?provider=${provider} shows the input_schema.`,
    });
  }
  if (c.status !== 'active') {
    throw new ApiError('connection_not_ready', `The connection is ${c.status}.`, {
      details: { status: c.status },
      remediation: 'Ask the end user to connect again (POST /v1/connect/sessions).',
    });
  }
  let data: Record<string, unknown>;
  if (tool.action.writes && options.idempotencyKey !== undefined) {
    // Loaded only here (core/tools/idempotent.ts says why).
    const { runOnce } = await import('./idempotent');
    data = await runOnce(
      'tools',
      {
        tenant_id: tenantId,
        idempotency_key: options.idempotencyKey,
        request: {
          tool: tool.name,
          connection_id: c.connection_id,
          workspace_id: body.workspace_id ?? null,
          input: parsed.input,
        },
      },
      () => runAction(tenantId, c, tool, parsed.run),
      options.context,
    );
  } else {
    data = await runAction(tenantId, c, tool, parsed.run);
  }
  return { successful: true, data };
};
