import { defineContract } from '../../openapi/contract';
import { grant } from '../../openapi/shapes/tools';

export const contract = defineContract({
  tag: 'Workspaces',
  summary: 'Grant a connection to a workspace',
  description: "Creates or replaces the grant. Every enabled tool must be one of the connection's provider.",
  success: { status: 200, description: 'The grant.', data: grant },
});
