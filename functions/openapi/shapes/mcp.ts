import * as z from 'zod/mini';
import { errorStatus } from '../../../core/platform/errors';
import { described, jsonObject, named } from '../contract';

/**
 * MCP's JSON-RPC 2.0 messages (https://www.jsonrpc.org/specification), as POST
 * /v1/mcp/{workspace_id} reads and answers them (core/tools/mcp.ts). Loose objects: the
 * protocol lets each side add members, and a result is the method's own.
 */
const id = z.union([z.string(), z.number()]);

export const jsonRpcMessage = named(
  'JsonRpcMessage',
  z.object({
    jsonrpc: z.literal('2.0'),
    id: z.optional(described(id, 'A request has one; a notification has none.')),
    method: z.optional(
      described(
        z.string(),
        '`initialize`, `ping`, `tools/list`, `tools/call`; notifications (`notifications/initialized`) are accepted and ignored.',
      ),
    ),
    params: z.optional(jsonObject()),
  }),
  'One JSON-RPC 2.0 message a request: a request, a notification, or a response to the server (it sends no requests, so answers are only accepted). No batches.',
);

const errorObject = (data: z.ZodMiniType) =>
  z.object({
    code: described(
      z.int(),
      '-32700 parse error, -32600 invalid request, -32601 unknown method, -32602 invalid params (a tool not granted), -32603 internal error, -32000 an error of this API (`data.code`).',
    ),
    message: z.string(),
    data: z.optional(data),
  });

export const jsonRpcResponse = named(
  'JsonRpcResponse',
  z.union([
    z.object({ jsonrpc: z.literal('2.0'), id, result: described(jsonObject(), "The method's result.") }),
    z.object({ jsonrpc: z.literal('2.0'), id, error: errorObject(z.unknown()) }),
  ]),
  "The answer to a request, with its id: the method's result or a JSON-RPC error. A tool's failure (input failing its schema, the provider's refusal) is a result with `isError: true`.",
);

const codes = Object.keys(errorStatus) as [keyof typeof errorStatus, ...(keyof typeof errorStatus)[]];

export const jsonRpcError = named(
  'JsonRpcError',
  z.object({
    jsonrpc: z.literal('2.0'),
    id: described(z.null(), 'Null: the error is of the HTTP request, before any message was read.'),
    error: errorObject(
      z.object({
        code: z.optional(described(z.enum(codes), "This API's error code, as in the envelope.")),
        details: z.optional(jsonObject()),
        remediation: z.optional(z.string()),
        request_id: z.optional(described(z.string(), 'The `X-Request-Id` of this answer.')),
        supported: z.optional(described(z.array(z.string()), 'The MCP protocol versions served.')),
      }),
    ),
  }),
  "An error of the HTTP request as JSON-RPC: the API's own errors (auth, rate limit, validation) keep their HTTP status and carry their code in `error.data.code`; the transport's (parse error, method, media type) have none.",
);

/** The API error code a JSON-RPC error carries, if any. */
export const codeOfJsonRpcError = (body: unknown): string | undefined => {
  const code = (body as { error?: { data?: { code?: unknown } } } | null)?.error?.data?.code;
  return typeof code === 'string' ? code : undefined;
};
