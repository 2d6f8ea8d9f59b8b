import { defineContract } from '../../openapi/contract';
import { grantList } from '../../openapi/shapes/tools';

export const contract = defineContract({
  tag: 'Workspaces',
  summary: "List a workspace's grants",
  success: { status: 200, description: 'A page of grants.', data: grantList },
});
