import { defineContract } from '../../openapi/contract';
import { codeOfJsonRpcError, jsonRpcError, jsonRpcMessage, jsonRpcResponse } from '../../openapi/shapes/mcp';

const jsonRpc = { contentType: 'application/json', schema: jsonRpcError };

export const contract = defineContract({
  tag: 'Agents',
  summary: "A workspace's MCP server",
  description:
    "A Model Context Protocol server (Streamable HTTP, stateless, JSON answers: no SSE stream, no session). Auth: an end-user token bound to this workspace (or not bound), or a secret key with `?end_user_id=`. `tools/list` lists the tools granted in the workspace on that user's connections (a name gets `__<account>` when two connections offer it); `tools/call` runs one as POST /v1/tools/execute does: input failing its schema and the provider's refusal are results with `isError: true`, a tool not granted is error -32602. A writing call runs once per `params._meta.idempotency_key` (or `Idempotency-Key`). Every answer is JSON-RPC, this API's own errors included: they keep their HTTP status and carry their code in `error.data.code`. Methods other than POST are 405 (`Allow: POST`).",
  methods: ['POST'],
  requestBody: {
    description: 'One JSON-RPC 2.0 message.',
    contentType: 'application/json',
    schema: jsonRpcMessage,
    required: true,
  },
  success: [
    {
      status: 200,
      description: "A request's answer, with its id: the result, or a JSON-RPC error.",
      raw: { contentType: 'application/json', schema: jsonRpcResponse },
    },
    { status: 202, description: 'A notification (or a response) was accepted: no body.', empty: true },
  ],
  errorFormat: {
    description: 'A JSON-RPC error with a null id; the code under `error.data.code`.',
    raw: jsonRpc,
    codeOf: codeOfJsonRpcError,
  },
  rawErrors: [
    {
      status: 400,
      description:
        'Not one JSON-RPC 2.0 request: not JSON (-32700), a batch or no `jsonrpc: "2.0"` (-32600), or an `MCP-Protocol-Version` not served (`error.data.supported`).',
      raw: jsonRpc,
    },
    { status: 405, description: 'A method other than POST (`Allow: POST`).', raw: jsonRpc },
    { status: 406, description: 'The request does not accept `application/json`.', raw: jsonRpc },
    { status: 413, description: 'A body over 1 MB.', raw: jsonRpc },
    { status: 415, description: 'A body that is not `application/json`.', raw: jsonRpc },
  ],
  except: ['not_found'],
  parameters: {
    workspace_id:
      'Your workspace id: the tools granted there (PUT /v1/workspaces/{workspace_id}/integrations/{connection_id}).',
    end_user_id:
      'With a secret key: the end user to act for (required). With an end-user token: its own, if given.',
  },
  headers: {
    'MCP-Protocol-Version': {
      description:
        'The MCP version the client speaks after initialize: `2025-11-25`, `2025-06-18` or `2025-03-26`.',
    },
    'Idempotency-Key': {
      description:
        'Printable ASCII, 1 to 255 characters: a writing `tools/call` runs at most once per key for 24 h (or `params._meta.idempotency_key`).',
      pattern: '^[\\x21-\\x7e]{1,255}$',
    },
  },
});
