import { defineContract } from '../../openapi/contract';
import { grant } from '../../openapi/shapes/tools';

export const contract = defineContract({
  tag: 'Workspaces',
  summary: 'Get a grant',
  success: { status: 200, description: 'The grant.', data: grant },
});
