import { defineContract } from '../../openapi/contract';
import { endUserToken } from '../../openapi/shapes/connections';

export const contract = defineContract({
  tag: 'End-user tokens',
  summary: 'Mint an end-user token',
  description:
    'An `eut_…` for your frontend, bound to one end user and, with `workspace_ids`, to those workspaces. It may call only the end-user routes; revoking the key that minted it revokes it.',
  success: { status: 201, description: 'The token.', data: endUserToken },
});
