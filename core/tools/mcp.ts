import { type ApiError, isApiError } from '../platform/errors';
import { logger } from '../platform/log';
import type { ConnectionItem } from '../store/connections-repo';
import type { Actor } from './audit';
import { type Tool, toolsOf, toolViews } from './catalog';
import { type ExecuteOptions, executeTool } from './execute';
import { idempotencyKeyPattern } from './idempotency-key';
import { grantsWithConnections } from './workspaces';

/**
 * The MCP server of a workspace (API.md "Agents (MCP)"): the Model Context Protocol's
 * Streamable HTTP transport, stateless, JSON answers only.
 * https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#streamable-http
 *
 * Hand-written against the specification rather than run on the official SDK's server: the
 * SDK's Server and web-standard transport bundle to 286 KB (ajv 102 KB, classic zod 97 KB, the
 * SDK 55 KB) — 0.89× the whole floor handler on top of this one's — for a surface of five
 * methods. The official client (@modelcontextprotocol/sdk's Client and
 * StreamableHTTPClientTransport) is what the tests connect with.
 *
 * No session: every POST carries one JSON-RPC message and is answered on its own, so no
 * `Mcp-Session-Id` is issued and GET (a server-sent event stream) and DELETE (ending a
 * session) are 405, as the transport allows for servers that offer neither.
 */
export const PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26'] as const;
const LATEST = PROTOCOL_VERSIONS[0];
export const SERVER_INFO = { name: 'integrations-service', title: 'Integrations', version: '1.0.0' };
const MAX_BODY_BYTES = 1024 * 1024;

// JSON-RPC 2.0 error codes (https://www.jsonrpc.org/specification#error_object); -32000 is the
// first of the "server error" codes an implementation defines: ours, with `data.code` saying which.
export const JSONRPC = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  serverError: -32000,
} as const;

type Id = string | number;
type Message = {
  jsonrpc: '2.0';
  id?: Id | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: unknown;
};

export type McpContext = {
  tenantId: string;
  workspaceId: string;
  endUserId: string;
  actor: Actor;
  /** The request's `Idempotency-Key` header: a writing tools/call runs once per key. */
  idempotencyKey?: string | undefined;
  invocation?: ExecuteOptions['context'];
};

export type McpHttpRequest = {
  method: string;
  headers: Record<string, string | undefined>;
  body: string | undefined;
};
export type McpHttpAnswer = { status: number; headers: Record<string, string>; body: string };

const json = (status: number, body: unknown, headers: Record<string, string> = {}): McpHttpAnswer => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const errorBody = (id: Id | null, code: number, message: string, data?: unknown) => ({
  jsonrpc: '2.0' as const,
  id,
  error: { code, message, ...(data !== undefined ? { data } : {}) },
});

/** An ApiError as a JSON-RPC error at the HTTP level (auth, rate limit, …): its status kept. */
export const jsonRpcErrorOf = (e: ApiError, requestId: string): McpHttpAnswer =>
  json(
    e.status,
    errorBody(
      null,
      e.code === 'invalid_json'
        ? JSONRPC.parseError
        : e.code === 'internal_error' || e.code === 'service_unavailable'
          ? JSONRPC.internalError
          : e.status === 400 || e.status === 413 || e.status === 422
            ? JSONRPC.invalidRequest
            : JSONRPC.serverError,
      e.message,
      {
        code: e.code,
        ...(Object.keys(e.details).length ? { details: e.details } : {}),
        ...(e.remediation ? { remediation: e.remediation } : {}),
        request_id: requestId,
      },
    ),
    e.headers,
  );

const mediaTypes = (header: string | undefined) =>
  (header ?? '')
    .split(',')
    .map((p) => p.split(';')[0]?.trim().toLowerCase() ?? '')
    .filter(Boolean);

/** A tool as this workspace's MCP server offers it: the catalog tool on one granted connection. */
type Offered = { name: string; tool: Tool; connection: ConnectionItem; defaultProject: string | null };

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);

/**
 * The tools granted in the workspace on the end user's connections. One connection of a
 * provider: the tool's own name (`github_create_issue`). Several: each name gets the account it
 * acts on (`github_create_issue__acme_corp`, the provider account's name in lower case with
 * `_` for anything else; where two accounts would read the same, the connection id's last
 * eight characters follow) — so names stay unique and say which account, and tools/call maps
 * them back from the same list.
 */
const offered = async (ctx: McpContext): Promise<Offered[]> => {
  const mine = (await grantsWithConnections(ctx.tenantId, ctx.workspaceId)).filter(
    (g) => g.connection.end_user_id === ctx.endUserId,
  );
  const byProvider = new Map<string, typeof mine>();
  for (const g of mine)
    byProvider.set(g.connection.provider, [...(byProvider.get(g.connection.provider) ?? []), g]);
  // The granted providers' descriptions only (adapters/descriptions.ts): listing runs no provider code.
  const out: Offered[] = [];
  for (const group of byProvider.values()) {
    const tools = await toolsOf(group[0]?.connection.provider ?? '');
    const slugs = group.map((g) => slug(g.connection.provider_account.name));
    group.forEach((g, i) => {
      const s = slugs[i] ?? '';
      const suffix =
        group.length === 1
          ? ''
          : `__${s && slugs.filter((x) => x === s).length === 1 ? s : `${s || 'account'}_${g.connection.connection_id.slice(-8)}`}`;
      for (const name of g.grant.enabled_tools) {
        const tool = tools.find((t) => t.name === name);
        if (tool)
          out.push({
            name: `${name}${suffix}`,
            tool,
            connection: g.connection,
            defaultProject: g.grant.default_project,
          });
      }
    });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
};

const describe = (o: Offered): string => {
  const m = o.tool.provider;
  const field = o.tool.action.projectField;
  return [
    o.tool.action.description,
    `Acts on the ${m.displayName} account ${o.connection.provider_account.name} (connection ${o.connection.connection_id}).`,
    ...(field && o.defaultProject ? [`Without ${field}, ${o.defaultProject} is used.`] : []),
  ].join(' ');
};

const listTools = async (ctx: McpContext) => {
  const list = await offered(ctx);
  // The schemas GET /v1/tools publishes for the tools.
  const views = toolViews(list.map((o) => o.tool));
  return {
    tools: list.map((o, i) => ({
      name: o.name,
      description: describe(o),
      inputSchema: views[i]?.input_schema,
      annotations: { readOnlyHint: !o.tool.action.writes, openWorldHint: true },
    })),
  };
};

/** What a model reads of a failed call: the message, each input issue, and what to do. */
const toolError = (e: ApiError) => {
  const issues = Array.isArray(e.details.issues)
    ? (e.details.issues as { path: string; message: string }[])
    : [];
  const text = [
    e.message,
    ...issues.map((i) => `- ${i.path.replace(/^input\.?/, '') || '(input)'}: ${i.message}`),
    ...(e.remediation ? [e.remediation] : []),
  ].join('\n');
  return {
    content: [{ type: 'text', text }],
    structuredContent: { error: { code: e.code, message: e.message, details: e.details } },
    isError: true,
  };
};

class Protocol extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

const callTool = async (ctx: McpContext, params: unknown) => {
  if (typeof params !== 'object' || params === null)
    throw new Protocol(JSONRPC.invalidParams, 'params must be an object.');
  const p = params as { name?: unknown; arguments?: unknown; _meta?: { idempotency_key?: unknown } };
  if (typeof p.name !== 'string') throw new Protocol(JSONRPC.invalidParams, 'params.name must be a string.');
  if (
    p.arguments !== undefined &&
    (typeof p.arguments !== 'object' || p.arguments === null || Array.isArray(p.arguments))
  ) {
    throw new Protocol(JSONRPC.invalidParams, 'params.arguments must be an object.');
  }
  const key = p._meta?.idempotency_key ?? ctx.idempotencyKey;
  if (key !== undefined && (typeof key !== 'string' || !idempotencyKeyPattern.test(key))) {
    throw new Protocol(
      JSONRPC.invalidParams,
      'The idempotency key must be printable ASCII, 1 to 255 characters.',
    );
  }
  const name = p.name;
  const o = (await offered(ctx)).find((t) => t.name === name);
  if (!o) {
    throw new Protocol(JSONRPC.invalidParams, `Unknown tool: ${name.slice(0, 200)}`, {
      detail: `No such tool is granted in workspace ${ctx.workspaceId} on this user's connections; tools/list lists those that are.`,
    });
  }
  try {
    const r = await executeTool(
      ctx.tenantId,
      {
        tool: o.tool.name,
        connection_id: o.connection.connection_id,
        workspace_id: ctx.workspaceId,
        input: (p.arguments ?? {}) as Record<string, unknown>,
      },
      ctx.endUserId,
      { actor: ctx.actor, via: 'mcp' },
      { idempotencyKey: key as string | undefined, context: ctx.invocation },
    );
    return {
      content: [{ type: 'text', text: JSON.stringify(r.data) }],
      structuredContent: r.data,
      isError: false,
    };
  } catch (e) {
    // The tool ran and failed — the input, the provider, the connection: a result the model
    // can read and act on (SEP-1303). Our own failures are the protocol's.
    if (isApiError(e) && e.code !== 'internal_error' && e.code !== 'service_unavailable') return toolError(e);
    throw e;
  }
};

const dispatch = async (ctx: McpContext, m: Message & { method: string }): Promise<unknown> => {
  switch (m.method) {
    case 'initialize': {
      const asked = (m.params as { protocolVersion?: unknown } | undefined)?.protocolVersion;
      const version = (PROTOCOL_VERSIONS as readonly unknown[]).includes(asked) ? (asked as string) : LATEST;
      return {
        protocolVersion: version,
        capabilities: { tools: { listChanged: false } },
        serverInfo: SERVER_INFO,
        instructions: `Tools of workspace ${ctx.workspaceId}, acting on the accounts end user ${ctx.endUserId} connected.`,
      };
    }
    case 'ping':
      return {};
    case 'tools/list':
      return listTools(ctx);
    case 'tools/call':
      return callTool(ctx, m.params);
    default:
      throw new Protocol(JSONRPC.methodNotFound, `Method not found: ${m.method.slice(0, 100)}`);
  }
};

const isId = (v: unknown): v is Id => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

/** GET (an SSE stream), DELETE (ending a session) and the rest: this server has neither. */
export const methodNotAllowed = (): McpHttpAnswer =>
  json(
    405,
    errorBody(
      null,
      JSONRPC.serverError,
      'Method not allowed: this server answers POST only (no SSE stream, no session).',
    ),
    { allow: 'POST' },
  );

/** One HTTP request to the MCP endpoint, as the transport specifies it. */
export const handleMcp = async (ctx: McpContext, req: McpHttpRequest): Promise<McpHttpAnswer> => {
  if (req.method.toUpperCase() !== 'POST') return methodNotAllowed();
  const accepts = mediaTypes(req.headers.accept);
  if (
    accepts.length &&
    !accepts.some((t) => t === 'application/json' || t === 'application/*' || t === '*/*')
  ) {
    return json(
      406,
      errorBody(null, JSONRPC.serverError, 'Not acceptable: the client must accept application/json.'),
    );
  }
  const type = mediaTypes(req.headers['content-type'])[0];
  if (type !== undefined && type !== 'application/json') {
    return json(415, errorBody(null, JSONRPC.serverError, 'Unsupported media type: send application/json.'));
  }
  const version = req.headers['mcp-protocol-version'];
  if (version !== undefined && !(PROTOCOL_VERSIONS as readonly string[]).includes(version)) {
    return json(
      400,
      errorBody(null, JSONRPC.invalidRequest, `Unsupported MCP-Protocol-Version: ${version.slice(0, 40)}.`, {
        supported: PROTOCOL_VERSIONS,
      }),
    );
  }
  if (Buffer.byteLength(req.body ?? '') > MAX_BODY_BYTES) {
    return json(413, errorBody(null, JSONRPC.invalidRequest, `The body is over ${MAX_BODY_BYTES} bytes.`));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body ?? '');
  } catch {
    return json(400, errorBody(null, JSONRPC.parseError, 'Parse error: the body is not JSON.'));
  }
  if (Array.isArray(parsed)) {
    // JSON-RPC batches left the protocol in 2025-06-18; one message a request keeps each call
    // one request against the rate limit.
    return json(
      400,
      errorBody(null, JSONRPC.invalidRequest, 'Batches are not supported: send one message per request.'),
    );
  }
  const m = parsed as Message;
  if (typeof m !== 'object' || m === null || m.jsonrpc !== '2.0') {
    return json(400, errorBody(null, JSONRPC.invalidRequest, 'Invalid request: not a JSON-RPC 2.0 message.'));
  }
  // A notification (no id) or the client's answer to a request of ours (we send none): accepted.
  if (m.id === undefined || (m.method === undefined && ('result' in m || 'error' in m))) {
    if (m.method !== undefined && typeof m.method !== 'string') {
      return json(400, errorBody(null, JSONRPC.invalidRequest, 'Invalid request: method must be a string.'));
    }
    return { status: 202, headers: {}, body: '' };
  }
  if (!isId(m.id) || typeof m.method !== 'string') {
    return json(
      400,
      errorBody(
        null,
        JSONRPC.invalidRequest,
        'Invalid request: a request has a string or number id and a method.',
      ),
    );
  }
  const id = m.id;
  try {
    const result = await dispatch(ctx, m as Message & { method: string });
    return json(200, { jsonrpc: '2.0', id, result });
  } catch (e) {
    if (e instanceof Protocol) return json(200, errorBody(id, e.code, e.message, e.data));
    if (isApiError(e) && e.code === 'service_unavailable') {
      return json(200, errorBody(id, JSONRPC.internalError, e.message, { code: e.code }));
    }
    if (!isApiError(e)) logger.error('mcp request failed', e as Error);
    return json(
      200,
      errorBody(id, JSONRPC.internalError, 'Internal error. Quote the request id if you contact us.'),
    );
  }
};
