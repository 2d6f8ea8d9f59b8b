import * as z from 'zod/mini';
import { ApiError } from '../../core/platform/errors';
import { actorOf } from '../../core/tools/audit';
import { idempotencyKeyPattern } from '../../core/tools/idempotency-key';
import { encodeAnswer, isProxyMethod, proxyRequest } from '../../core/tools/proxy';
import { authOf, endpoint, endUserOf, tenantOf } from '../middleware';

const path = z.object({ connection_id: z.string().check(z.minLength(1), z.maxLength(200)) });

/**
 * The provider path as the client sent it, still percent-encoded: `rawPath`, never the
 * `{path+}` parameter, which API Gateway has decoded (twice over, counting its route matching).
 */
const rawProviderPath = (rawPath: string): string => {
  const m = /\/v1\/proxy\/[^/]+\/(.*)$/s.exec(rawPath);
  if (!m) throw new ApiError('not_found', 'No such route.');
  return m[1] as string;
};

/**
 * GET|POST|PUT|PATCH|DELETE /v1/proxy/{connection_id}/{path+} — the connection's provider API
 * at `path`, with its stored credentials (core/tools/proxy.ts). Answers the provider's status
 * and body as they are, not in the envelope; our own refusals are in the envelope.
 */
export const handler = endpoint({ path }, async (req) => {
  const method = req.event.requestContext.http.method.toUpperCase();
  // The route is `ANY`: HEAD, OPTIONS and the rest have no route here.
  if (!isProxyMethod(method)) throw new ApiError('not_found', 'No such route.');
  // A token bound to workspaces acts through the tools granted there; the proxy, which reaches
  // the whole provider API, would step around those grants.
  const auth = authOf(req);
  if (auth.kind === 'end_user' && auth.workspaceIds) {
    throw new ApiError(
      'forbidden',
      'This end-user token is bound to workspaces: it acts through their tools, not the proxy.',
      {
        details: { workspace_ids: auth.workspaceIds },
        remediation: 'Mint a token without workspace_ids for the proxy, or call it from your backend.',
      },
    );
  }
  const key = req.event.headers['idempotency-key'];
  if (key !== undefined && !idempotencyKeyPattern.test(key)) {
    throw new ApiError('validation_failed', 'The Idempotency-Key header is not valid.', {
      details: {
        issues: [{ path: 'headers.idempotency-key', message: 'Printable ASCII, 1 to 255 characters.' }],
      },
    });
  }
  const { body, isBase64Encoded } = req.event;
  const answer = await proxyRequest(
    tenantOf(req),
    req.path.connection_id,
    endUserOf(req, undefined, { required: false }),
    actorOf(auth),
    {
      method,
      path: rawProviderPath(req.event.rawPath),
      query: req.event.rawQueryString ?? '',
      headers: req.event.headers as Record<string, string>,
      body: body ? Buffer.from(body, isBase64Encoded ? 'base64' : 'utf8') : undefined,
    },
    { idempotencyKey: key, context: req.context },
  );
  return {
    status: answer.status,
    headers: { ...answer.headers, ...(answer.replayed ? { 'idempotent-replayed': 'true' } : {}) },
    raw: encodeAnswer(answer),
  };
});
