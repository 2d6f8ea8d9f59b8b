import { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { ApiEvent, ApiResult } from './types';

// Keys whose values never reach a log line, at any depth. Matching is on the key name
// because a secret's value can't be recognised — but its field always has a name.
const REDACT =
  /authorization|cookie|secret|token|password|passwd|api[-_]?key|app[-_]?key|private[-_]?key|client[-_]?secret|signature|credentials?$/i;

export const redactReplacer = (key: string, value: unknown): unknown =>
  key && REDACT.test(key) && value !== null && value !== undefined && typeof value !== 'object'
    ? '[REDACTED]'
    : value;

/** The one logger of a Lambda: a module singleton, JSON, secrets redacted. */
export const logger = new Logger({
  serviceName: 'integrations',
  jsonReplacerFn: redactReplacer,
});

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
