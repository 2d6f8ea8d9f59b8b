import { defineContract } from '../../openapi/contract';
import { failurePages, html, sessionProblemPages } from '../../openapi/shapes/connect-page';

export const contract = defineContract({
  tag: 'Connect page',
  summary: "The connect page's result",
  description:
    "Public: where a flow started on the connect page ends. Shows the outcome, then forwards to the session's `redirect_url` with `status=success&connection_id=…` or `status=error&error=…` (in a popup opened by /connect.js, posts it to the opener and closes). A success is read from the session, never from this URL; `?error=` (the callback's codes) is shown only while the session has not connected, and a session still open shows a way back to the page.",
  success: {
    status: 200,
    description: 'The outcome: connected, not connected (with a way to try again), or not finished yet.',
    raw: html(
      'The result page; its `main` element carries `data-status`, `data-connection-id` or `data-error`.',
    ),
  },
  except: ['not_found'],
  rawErrors: [...sessionProblemPages, ...failurePages],
  parameters: { session_id: 'The connect session id (`cs_…`).' },
});
