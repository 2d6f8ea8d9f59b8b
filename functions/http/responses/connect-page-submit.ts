import * as z from 'zod/mini';
import { defineContract, described } from '../../openapi/contract';
import { failurePages, html, sessionProblemPages } from '../../openapi/shapes/connect-page';

const refused = html('The form again: the error by its field, what was typed kept (never a secret).');

export const contract = defineContract({
  tag: 'Connect page',
  summary: "The connect page's form, posted without its script",
  description:
    "Public: the same submission as POST /v1/connect/sessions/{id}/credentials, as a plain HTML form post, answered as a page. Success is a 303 to the page's result; a refusal renders the form again with the error by its field.",
  requestBody: {
    description:
      'The form: `credentials.<field>=…` and `config.<field>=…` as the page names its inputs (empty ones left out), and `display=popup` in a popup.',
    contentType: 'application/x-www-form-urlencoded',
    schema: described(z.record(z.string(), z.string()), 'The form fields.'),
    required: true,
  },
  success: {
    status: 303,
    description: "Connected: to the page's result (`/connect/{session_id}/done`), which forwards to the app.",
    redirect: true,
  },
  except: ['not_found'],
  rawErrors: [
    {
      status: 400,
      description: 'The integration is no longer configured: the form again, saying so.',
      raw: refused,
    },
    { status: 409, description: 'A concurrent change: the form again, saying so.', raw: refused },
    {
      status: 422,
      description:
        'The provider refused the credentials, or they do not fit it: the form again, the error by its field.',
      raw: refused,
    },
    {
      status: 429,
      description: 'The provider is rate limiting these credentials: the form again, saying so.',
      raw: refused,
    },
    ...sessionProblemPages,
    ...failurePages,
  ],
  parameters: { session_id: 'The connect session id (`cs_…`).' },
});
