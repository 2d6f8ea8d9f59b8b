import { defineContract } from '../../openapi/contract';
import { toolCallList } from '../../openapi/shapes/tools';

export const contract = defineContract({
  tag: 'Agents',
  summary: 'List tool calls (the audit trail)',
  description:
    'Every tool call, through POST /v1/tools/execute or MCP, and every write through the proxy, whatever its outcome: who, which tool, on which connection and workspace, the outcome, how long, and the SHA-256 of the input (never the input). Newest first, kept 90 days; the filters combine.',
  success: { status: 200, description: 'A page of tool calls.', data: toolCallList },
  parameters: {
    workspace_id: 'Only calls in this workspace.',
    connection_id: 'Only calls on this connection.',
    end_user_id: "Only calls on this end user's connections.",
    tool: 'Only calls of this tool (`github_create_issue`, `proxy:POST /repos/o/r/issues`).',
  },
});
