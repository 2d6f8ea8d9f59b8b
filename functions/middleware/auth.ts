import type { MiddlewareObj } from '@middy/core';
import { ApiError } from '../../core/platform/errors';
import { logger } from '../../core/platform/log';
import { authenticate } from '../../core/tenants/tenants';
import { routeAuth } from './route-auth';
import type { ApiEvent, ApiResult } from './types';

/**
 * Authenticates by the auth kind of the request's row in the route table, found by
 * the API Gateway route key — so a handler can't disagree with the table.
 */
export const auth = (): MiddlewareObj<ApiEvent, ApiResult> => ({
  before: async (request) => {
    const kind = await routeAuth(request.event.routeKey);
    if (!kind) throw new ApiError('not_found', 'No such route.');
    if (kind === 'none') return;
    const authorization = request.event.headers?.authorization;
    // Browsers send Origin on every cross-origin request (and on same-origin POSTs); servers
    // don't. A secret key there is a key that reached a browser: refused before it is looked
    // up, so the answer says nothing about whether it is valid.
    if (request.event.headers?.origin !== undefined && /^\s*Bearer\s+sk_/i.test(authorization ?? '')) {
      throw new ApiError(
        'forbidden',
        'A secret key was sent from a browser (the request has an Origin header).',
        {
          remediation:
            'Secret keys belong on your servers: call the API from your backend, and give the browser an ' +
            'end-user token (POST /v1/end-user-tokens) instead. If this key has been in a web page, revoke it.',
        },
      );
    }
    const auth = await authenticate(authorization);
    request.event.state.auth = auth;
    // Every later line of this request names its tenant (and end user): an operator's
    // first filter. requestLogger's resetKeys clears them after the request.
    logger.appendKeys({
      tenant_id: auth.tenantId,
      ...(auth.kind === 'end_user' ? { end_user_id: auth.endUserId } : {}),
    });
    if (auth.kind === 'end_user' && kind !== 'end_user') {
      throw new ApiError('forbidden', 'End-user tokens may call only the end-user routes.', {
        remediation: 'Call this route from your backend with a secret key.',
      });
    }
  },
});
