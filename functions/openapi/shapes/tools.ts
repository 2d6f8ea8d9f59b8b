import * as z from 'zod/mini';
import { errorStatus } from '../../../core/platform/errors';
import { described, jsonObject, named, page, timestamp } from '../contract';

export const tool = named(
  'Tool',
  z.strictObject({
    name: described(z.string(), '`<provider>_<action>` (`github_create_issue`).'),
    provider: z.string(),
    description: z.string(),
    writes: described(z.boolean(), 'It changes something at the provider: send an `Idempotency-Key`.'),
    input_schema: described(jsonObject(), 'JSON Schema of `input` in POST /v1/tools/execute.'),
  }),
);

export const toolList = named('ToolList', page('tools', tool));

export const toolResult = named(
  'ToolResult',
  z.strictObject({
    successful: z.literal(true),
    data: described(jsonObject(), "The provider's answer, mapped to the unified models where it has one."),
  }),
);

export const grant = named(
  'WorkspaceGrant',
  z.strictObject({
    workspace_id: z.string(),
    connection_id: z.string(),
    provider: z.string(),
    integration: z.string(),
    enabled_tools: described(
      z.array(z.string()),
      'What agents may run in this workspace on this connection.',
    ),
    default_project: described(
      z.nullable(z.string()),
      "Fills the tool's project field (`repo`, `project_key`, …) when a call leaves it out.",
    ),
    created_at: timestamp(),
    updated_at: timestamp(),
  }),
  'A connection granted to one of your workspaces.',
);

export const grantList = named('WorkspaceGrantList', page('integrations', grant));

export const grantDeleted = named(
  'WorkspaceGrantDeleted',
  z.strictObject({ workspace_id: z.string(), connection_id: z.string(), deleted: z.literal(true) }),
);

const outcomes = ['success', ...Object.keys(errorStatus)] as [string, ...string[]];

export const toolCall = named(
  'ToolCall',
  z.strictObject({
    id: described(z.string(), '`tc_…`'),
    tool: described(
      z.string(),
      'The tool (`github_create_issue`), or `proxy:<METHOD> <path>` for a write through the proxy.',
    ),
    connection_id: described(
      z.nullable(z.string()),
      'Null when the id the caller sent named none of its connections.',
    ),
    workspace_id: z.nullable(z.string()),
    end_user_id: described(
      z.nullable(z.string()),
      'The end user whose connection it acted on (or who acted, when no connection was found).',
    ),
    actor: described(
      z.strictObject({ type: z.enum(['key', 'end_user']), id: z.string() }),
      "Who called: a secret key (its id), or an end-user token (its end user's id).",
    ),
    via: described(
      z.enum(['api', 'mcp', 'proxy']),
      'POST /v1/tools/execute, MCP `tools/call`, or the proxy.',
    ),
    outcome: described(z.enum(outcomes), '`success`, or the error code the call ended with.'),
    provider_status: described(
      z.nullable(z.int()),
      "The provider's HTTP status, for a call through the proxy; else null.",
    ),
    duration_ms: z.int(),
    input_sha256: described(
      z.string(),
      'SHA-256 (hex) of the input as canonical JSON (keys sorted at every depth), or of the proxied body. Never the input itself.',
    ),
    created_at: timestamp(),
  }),
  'One tool call (REST or MCP) or proxied write, kept 90 days.',
);

export const toolCallList = named('ToolCallList', page('tool_calls', toolCall));
