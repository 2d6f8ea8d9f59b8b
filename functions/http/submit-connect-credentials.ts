import {
  submitCredentials,
  submitCredentialsBody,
  submitCredentialsPath,
} from '../../core/connections/connect-submit';
import { endpoint } from '../middleware';

/**
 * POST /v1/connect/sessions/{id}/credentials (public, authorised by the session) —
 * `{ "credentials": {…}, "config": {…} }` typed on the connect page. Verified at the provider
 * before anything is stored; 201 the connection (200 when the same account was connected
 * again and its connection refreshed), and the session is spent. A refusal is 422 with the
 * issue at the refused field, and the session stays open for another try.
 */
export const handler = endpoint({ body: submitCredentialsBody, path: submitCredentialsPath }, async (req) => {
  const { created, connection } = await submitCredentials(req.path.id, req.body);
  return { status: created ? 201 : 200, data: connection };
});
