import type { MiddlewareObj } from '@middy/core';
import { ApiError, isApiError } from '../../core/platform/errors';
import { logger } from './logger';
import type { ApiEvent, ApiResult } from './types';

export const errorResponse = (error: ApiError, requestId: string): ApiResult => ({
  statusCode: error.status,
  headers: { 'content-type': 'application/json', ...error.headers },
  body: JSON.stringify({
    status: 'error',
    error: {
      code: error.code,
      message: error.message,
      details: error.details,
      ...(error.remediation ? { remediation: error.remediation } : {}),
      request_id: requestId,
    },
  }),
});

/**
 * Registered last, so its onError runs first and turns any failure into the envelope (or
 * what `format` makes of it: MCP answers errors in JSON-RPC).
 * An ApiError is shown as is; anything else is logged in full and shown only as
 * `internal_error`, so no internals reach the client.
 */
export const errorEnvelope = (
  format: (error: ApiError, requestId: string) => ApiResult = errorResponse,
): MiddlewareObj<ApiEvent, ApiResult> => ({
  onError: (request) => {
    const error = request.error;
    const requestId = request.event.state?.requestId ?? 'req_unknown';
    if (isApiError(error)) {
      if (error.status >= 500) logger.error('request failed', { code: error.code, details: error.details });
      request.response = format(error, requestId);
      return;
    }
    logger.error('unhandled error', error as Error);
    request.response = format(
      new ApiError(
        'internal_error',
        'Something went wrong on our side. Quote the request id if you contact us.',
      ),
      requestId,
    );
  },
});
