import { defineContract } from '../../openapi/contract';
import { failurePages, html, sessionProblemPages } from '../../openapi/shapes/connect-page';

export const contract = defineContract({
  tag: 'Connect page',
  summary: 'The hosted connect page',
  description:
    "Public, authorised by the session: the session's `connect_url`, for the end user's browser. A Connect button for OAuth and app installs (through the session's `auth_url`), or a form from the provider's credential fields for API-key and basic providers. `?display=popup` when opened by /connect.js. The page loads only its own stylesheet and script (a strict CSP), is never framed, and is not cached.",
  success: {
    status: 200,
    description: 'The page.',
    raw: html('The connect page: a Connect button, or the credentials form.'),
  },
  // Whatever the session, the answer is a page: an unknown one is the 404 page, not the envelope.
  except: ['not_found'],
  rawErrors: [...sessionProblemPages, ...failurePages],
  parameters: { session_id: 'The connect session id (`cs_…`).' },
});
