import { defineContract } from '../../openapi/contract';

export const contract = defineContract({
  tag: 'Connect',
  summary: "Start a connect session (the session's auth_url)",
  description:
    "Public: the end user's browser opens it. Sets the cookie that binds the flow to this browser and redirects to the provider's authorization or install page; a credentials session (API key, basic) goes to its connect page instead. `display=page|popup` (the connect page's button) makes the callback land on the page's result. An unknown session is 404; one that expired or already connected an account is 410.",
  success: {
    status: 302,
    description: "To the provider's authorization or install page, or a credentials session's connect page.",
    redirect: true,
  },
  errors: ['not_found', 'state_expired', 'invalid_state'],
  parameters: { session: 'The connect session id (`cs_…`).' },
});
