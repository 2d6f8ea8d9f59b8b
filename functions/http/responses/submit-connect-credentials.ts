import { defineContract } from '../../openapi/contract';
import { connection } from '../../openapi/shapes/connections';

export const contract = defineContract({
  tag: 'Connect page',
  summary: 'Submit credentials for a connect session',
  description:
    "Public, authorised by the session (single use): what the connect page's form sends, for the session's integration, end user and workspace. `credentials` are the provider's credential fields (`type` optional; it must be the session's `auth_mode`), `config` as POST /v1/connections takes it. Verified at the provider before anything is stored. A refusal is 422 `validation_failed` with the issue at the refused field (`body.credentials.api_key`), and the session stays open for another try, up to ten; then, or once connected, 410 `invalid_state`. An expired session is 410 `state_expired`; an OAuth or app-install session is 422 (send the user to its `auth_url`).",
  success: [
    { status: 201, description: 'Connected: the new connection; the session is spent.', data: connection },
    {
      status: 200,
      description: 'The same account was connected again: its connection, refreshed; the session is spent.',
      data: connection,
    },
  ],
  errors: [
    'integration_not_configured',
    'state_expired',
    'invalid_state',
    'conflict',
    'rate_limited',
    'provider_unreachable',
  ],
  parameters: { id: 'The connect session id (`cs_…`).' },
});
