import type { MiddlewareObj } from '@middy/core';
import { ApiError } from '../../core/platform/errors';
import { authenticate } from '../../core/tenants/tenants';
import { findRoute } from '../routes';
import type { ApiEvent, ApiResult } from './types';

/**
 * Authenticates by the auth kind of the request's row in the route table, found by
 * the API Gateway route key — so a handler can't disagree with the table.
 */
export const auth = (): MiddlewareObj<ApiEvent, ApiResult> => ({
  before: async (request) => {
    const route = findRoute(request.event.routeKey);
    if (!route) throw new ApiError('not_found', 'No such route.');
    if (route.auth === 'none') return;
    const auth = await authenticate(request.event.headers?.authorization);
    request.event.state.auth = auth;
    if (auth.kind === 'end_user' && route.auth !== 'end_user') {
      throw new ApiError('forbidden', 'End-user tokens may call only the end-user routes.', {
        remediation: 'Call this route from your backend with a secret key.',
      });
    }
  },
});
