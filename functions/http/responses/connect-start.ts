import { defineContract } from '../../openapi/contract';

export const contract = defineContract({
  tag: 'Connect',
  summary: "Start a connect session (the session's auth_url)",
  description:
    "Public: the end user's browser opens it. Sets the cookie that binds the flow to this browser and redirects to the provider's authorization or install page.",
  success: { status: 302, description: "To the provider's authorization or install page.", redirect: true },
  errors: ['not_found', 'state_expired', 'invalid_state'],
  parameters: { session: 'The connect session id (`cs_…`).' },
});
