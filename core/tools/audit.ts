import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { isApiError } from '../platform/errors';
import { newId } from '../platform/ids';
import { logger } from '../platform/log';
import { readPage, scopeOf } from '../platform/paging';
import * as repo from '../store/tool-calls-repo';
import type { AuthContext } from '../tenants/tenants';
import { workspaceId } from './workspace-id';

/**
 * The audit trail (API.md "Agents (MCP)", GET /v1/tool-calls): every tool call, through
 * /v1/tools/execute or MCP, and every proxied write — who, which tool, on which connection,
 * the outcome, how long, and a SHA-256 of the input (never the input: it may carry secrets,
 * and the trail is kept 90 days).
 *
 * Written after the call, awaited: one PutItem on a table of its own (a few ms beside a
 * provider call of hundreds). Not awaiting it would not save that time on Lambda — a promise
 * left running when the handler answers is frozen with the container and may never finish —
 * and an asynchronous path (a queue, a log subscription) costs a round trip or a moving part
 * of its own. A failed write never fails the call it records: it is logged at ERROR with the
 * whole entry (which holds nothing secret), so the entry survives in the logs and the line
 * can be alarmed on.
 */
export const AUDIT_RETENTION_SECONDS = 90 * 86400;

export type Actor = { type: 'key' | 'end_user'; id: string };

/** Who made the call: the secret key's id, or the end user of the end-user token. */
export const actorOf = (auth: AuthContext): Actor =>
  auth.kind === 'end_user' ? { type: 'end_user', id: auth.endUserId } : { type: 'key', id: auth.keyId };

/** JSON with object keys sorted at every depth: the same input hashes the same however it was written. */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
export const inputSha256 = (input: unknown): string => sha256(canonicalJson(input ?? {}));

/** The outcome of a call: `success`, or the error code it ended with. */
export const outcomeOf = (e: unknown): string => (isApiError(e) ? e.code : 'internal_error');

/** For a proxied answer: what its status means, in the API's codes. */
export const outcomeOfStatus = (status: number): string =>
  status < 400
    ? 'success'
    : status === 429
      ? 'rate_limited'
      : status >= 500
        ? 'provider_unreachable'
        : 'action_failed';

export type ToolCallEntry = {
  tenantId: string;
  tool: string;
  /**
   * The connection found: an id that named none of the caller's is not echoed into the trail
   * (it would be the caller's own guess, or another tenant's id).
   */
  connectionId?: string | undefined;
  workspaceId?: string | undefined;
  endUserId?: string | undefined;
  actor: Actor;
  via: repo.ToolCallItem['via'];
  outcome: string;
  providerStatus?: number | undefined;
  startedAt: number;
  inputSha256: string;
};

/** Records one call; never throws (see above). */
export const recordToolCall = async (e: ToolCallEntry): Promise<void> => {
  const now = Date.now();
  const item: repo.ToolCallItem = {
    tenant_id: e.tenantId,
    id: newId('tc'),
    tool: e.tool.slice(0, 300),
    connection_id: e.connectionId ?? null,
    workspace_id: e.workspaceId ?? null,
    end_user_id: e.endUserId ?? null,
    actor_type: e.actor.type,
    actor_id: e.actor.id,
    via: e.via,
    outcome: e.outcome,
    provider_status: e.providerStatus ?? null,
    duration_ms: Math.max(0, Math.round(performance.now() - e.startedAt)),
    input_sha256: e.inputSha256,
    created_at: new Date(now).toISOString(),
    expires_at: Math.floor(now / 1000) + AUDIT_RETENTION_SECONDS,
  };
  try {
    await repo.putToolCall(item);
  } catch (error) {
    logger.error('audit write failed', { audit_entry: item, error: error as Error });
  }
};

export const toolCallView = (i: repo.ToolCallItem) => ({
  id: i.id,
  tool: i.tool,
  connection_id: i.connection_id,
  workspace_id: i.workspace_id,
  end_user_id: i.end_user_id,
  actor: { type: i.actor_type, id: i.actor_id },
  via: i.via,
  outcome: i.outcome,
  provider_status: i.provider_status,
  duration_ms: i.duration_ms,
  input_sha256: i.input_sha256,
  created_at: i.created_at,
});

const id = z.string().check(z.minLength(1), z.maxLength(200));
export const toolCallsQuery = {
  workspace_id: z.optional(workspaceId),
  connection_id: z.optional(id),
  end_user_id: z.optional(id),
  tool: z.optional(z.string().check(z.minLength(1), z.maxLength(300))),
};

export const listToolCalls = async (
  tenantId: string,
  filter: repo.ToolCallFilter,
  page: { limit: number; cursor?: string | undefined },
) => {
  const { items, next_cursor } = await readPage(
    tenantId,
    scopeOf('tool-calls', filter),
    page,
    (limit, start) => repo.listToolCalls(tenantId, filter, limit, start),
  );
  return { tool_calls: items.map(toolCallView), next_cursor };
};
