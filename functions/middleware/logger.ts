import type { MiddlewareObj } from '@middy/core';
import { logger } from '../../core/platform/log';
import type { ApiEvent, ApiResult } from './types';

export { logger, redactReplacer } from '../../core/platform/log';

/**
 * Adds the request id to every line and writes one access line per request (method,
 * route, status, duration) — never headers or bodies, which may carry credentials.
 */
export const requestLogger = (): MiddlewareObj<ApiEvent, ApiResult> => {
  const access = (request: { event: ApiEvent; response: ApiResult | null | undefined }) => {
    const { event, response } = request;
    logger.info('request', {
      method: event.requestContext?.http?.method,
      route: event.routeKey,
      status: response?.statusCode,
      duration_ms: Math.round(performance.now() - event.state.startedAt),
    });
    logger.resetKeys();
  };
  return {
    before: (request) => {
      logger.addContext(request.context);
      logger.appendKeys({ request_id: request.event.state.requestId });
    },
    after: access,
    onError: access,
  };
};
