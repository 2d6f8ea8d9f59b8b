import * as z from 'zod/mini';
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
