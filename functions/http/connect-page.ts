import { connectPage } from '../../core/connections/connect-page';
import { htmlReply, renderConnectPage, renderProblem } from '../connect-page/html';
import { displayOf, pageEndpoint, sessionIdOf } from '../connect-page/page-endpoint';

/**
 * GET /connect/{session_id} (public, authorised by the session) — the hosted connect page:
 * a Connect button (OAuth, app installs) or a form from the provider's credential fields.
 * An unknown session is 404, an expired or used one 410, each the same page whoever's it was.
 */
export const handler = pageEndpoint('', async (req) => {
  const view = await connectPage(sessionIdOf(req));
  if (view.state !== 'ready') {
    const p = renderProblem(view.state, '');
    return htmlReply(p.status, p.html);
  }
  return htmlReply(200, renderConnectPage(view, displayOf(req)));
});
