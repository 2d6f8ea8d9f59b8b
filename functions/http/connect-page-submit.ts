import { connectPage } from '../../core/connections/connect-page';
import { submitCredentials, submitCredentialsBody } from '../../core/connections/connect-submit';
import { connectPageUrl } from '../../core/connections/sessions';
import { ApiError, isApiError } from '../../core/platform/errors';
import { formErrors, parseForm } from '../connect-page/form';
import { htmlReply, renderConnectPage, renderProblem } from '../connect-page/html';
import { pageEndpoint, sessionIdOf } from '../connect-page/page-endpoint';

/**
 * POST /connect/{session_id} (public) — the connect page's form without its script: the same
 * submission as POST /v1/connect/sessions/{id}/credentials, answered as a page. Success is a
 * 303 to the page's result; a refusal renders the form again with the error by its field and
 * what was typed, except the secrets.
 */
export const handler = pageEndpoint('', async (req) => {
  const sessionId = sessionIdOf(req);
  const view = await connectPage(sessionId);
  if (view.state !== 'ready') {
    const p = renderProblem(view.state, '');
    return htmlReply(p.status, p.html);
  }
  const form = parseForm(req.event.body, req.event.isBase64Encoded);
  const popup = form && new URLSearchParams(req.event.body ?? '').get('display') === 'popup';
  const display = popup ? 'popup' : 'page';
  try {
    const parsed = submitCredentialsBody.safeParse(form?.body);
    if (!parsed.success) {
      throw new ApiError('validation_failed', 'The form could not be read.', {
        details: {
          issues: parsed.error.issues.map((i) => ({
            path: ['body', ...i.path.map(String)].join('.'),
            message: i.message,
          })),
        },
      });
    }
    await submitCredentials(sessionId, parsed.data);
  } catch (e) {
    if (!isApiError(e) || e.status >= 500) throw e;
    if (e.code === 'not_found' || e.code === 'state_expired' || e.code === 'invalid_state') {
      const p = renderProblem(
        e.code === 'not_found' ? 'unknown' : e.code === 'state_expired' ? 'expired' : 'used',
        '',
      );
      return htmlReply(p.status, p.html);
    }
    return htmlReply(
      e.status,
      renderConnectPage(view, display, formErrors(e, view.fields, form?.values ?? {})),
    );
  }
  const done = new URL(`${connectPageUrl(sessionId)}/done`);
  if (popup) done.searchParams.set('display', 'popup');
  return { status: 303, redirect: done.toString(), data: null };
});
