import { defineContract } from '../../openapi/contract';
import { grantDeleted } from '../../openapi/shapes/tools';

export const contract = defineContract({
  tag: 'Workspaces',
  summary: 'Revoke a grant',
  success: { status: 200, description: 'Revoked.', data: grantDeleted },
});
