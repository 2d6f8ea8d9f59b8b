import type { MiddlewareObj } from '@middy/core';
import { newId } from '../../core/platform/ids';
import type { ApiEvent, ApiResult } from './types';

/** Gives every request a `req_…` id and echoes it in `X-Request-Id`, errors included. */
export const requestId = (): MiddlewareObj<ApiEvent, ApiResult> => {
  const stamp = (request: { event: ApiEvent; response: ApiResult | null | undefined }) => {
    if (request.response) {
      request.response.headers = {
        ...request.response.headers,
        'x-request-id': request.event.state.requestId,
      };
    }
  };
  return {
    before: (request) => {
      request.event.state = { requestId: newId('req'), startedAt: performance.now() };
    },
    after: stamp,
    onError: stamp,
  };
};
