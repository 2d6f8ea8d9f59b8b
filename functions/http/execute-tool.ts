import { ApiError } from '../../core/platform/errors';
import { actorOf } from '../../core/tools/audit';
import { executeBody, executeTool } from '../../core/tools/execute';
import { idempotencyKeyPattern } from '../../core/tools/idempotency-key';
import { authOf, endpoint, endUserOf, tenantOf, workspaceOf } from '../middleware';

/**
 * POST /v1/tools/execute — runs a tool against a connection. A writing tool with an
 * `Idempotency-Key` header runs at most once per key (24 h): a retry answers the first result.
 */
export const handler = endpoint({ body: executeBody }, async (req) => {
  const key = req.event.headers['idempotency-key'];
  if (key !== undefined && !idempotencyKeyPattern.test(key)) {
    throw new ApiError('validation_failed', 'The Idempotency-Key header is not valid.', {
      details: {
        issues: [{ path: 'headers.idempotency-key', message: 'Printable ASCII, 1 to 255 characters.' }],
      },
    });
  }
  workspaceOf(req, req.body.workspace_id);
  return {
    data: await executeTool(
      tenantOf(req),
      req.body,
      endUserOf(req, req.body.end_user_id, { required: false }),
      { actor: actorOf(authOf(req)), via: 'api' },
      { idempotencyKey: key, context: req.context },
    ),
  };
});
