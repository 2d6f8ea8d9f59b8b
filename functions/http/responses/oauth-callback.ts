import { defineContract } from '../../openapi/contract';

export const contract = defineContract({
  tag: 'Connect',
  summary: 'OAuth / app-install callback',
  description:
    "Public: where providers send the end user back. Redirects to the session's `redirect_url` with `?status=success&connection_id=conn_…`, or `?status=error&error=` (`access_denied`, `invalid_state`, `state_expired`, `token_exchange_failed`, `session_mismatch`). A state never issued has nowhere safe to go: 422.",
  success: { status: 302, description: "To the session's redirect_url.", redirect: true },
});
