import type { MiddlewareObj } from '@middy/core';
import { consumeRequest, rateLimitHeaders } from '../../core/tenants/rate-limit';
import type { ApiEvent, ApiResult } from './types';

/** Counts the request against its key's limit; `X-RateLimit-*` on every answer, 429 past it. */
export const rateLimit = (): MiddlewareObj<ApiEvent, ApiResult> => {
  const stamp = (request: { event: ApiEvent; response: ApiResult | null | undefined }) => {
    const state = request.event.state?.rateLimit;
    if (request.response && state) {
      request.response.headers = { ...rateLimitHeaders(state), ...request.response.headers };
    }
  };
  return {
    before: async (request) => {
      const auth = request.event.state.auth;
      if (!auth) return; // public route
      request.event.state.rateLimit = await consumeRequest(auth.tenantId, auth.keyId);
    },
    after: stamp,
    onError: stamp,
  };
};
