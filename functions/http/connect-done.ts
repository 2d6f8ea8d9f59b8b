import { connectResult } from '../../core/connections/connect-page';
import { htmlReply, renderResult } from '../connect-page/html';
import { displayOf, pageEndpoint, sessionIdOf } from '../connect-page/page-endpoint';

/**
 * GET /connect/{session_id}/done (public) — where a flow started on the connect page ends:
 * shows the outcome, then forwards to the session's redirect_url with `status=…` (or, in a
 * popup opened by /connect.js, posts it to the opener and closes). A success is read from the
 * session, never from this URL.
 */
export const handler = pageEndpoint('../', async (req) => {
  const view = await connectResult(sessionIdOf(req), req.event.queryStringParameters?.error);
  const r = renderResult(view, displayOf(req));
  return htmlReply(r.status, r.html);
});
