import type { MiddlewareObj } from '@middy/core';
import { ApiError } from '../../core/platform/errors';
import type { ApiEvent, ApiResult } from './types';

export const MAX_JSON_BYTES = 1024 * 1024;

/**
 * Parses a JSON body whatever its Content-Type claims (clients forget the header) into
 * `state.json`. Hand-written rather than @middy/http-json-body-parser because the
 * contract needs its own codes: 400 `invalid_json`, 413 `payload_too_large`.
 */
export const jsonBody = (enabled: boolean): MiddlewareObj<ApiEvent, ApiResult> => ({
  before: (request) => {
    // Routes without a body schema ignore a body, as GET and DELETE do everywhere.
    if (!enabled) return;
    const { body, isBase64Encoded } = request.event;
    if (body === undefined || body === null || body === '') return;
    const text = isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
    if (Buffer.byteLength(text) > MAX_JSON_BYTES) {
      throw new ApiError('payload_too_large', `The body is over ${MAX_JSON_BYTES} bytes.`, {
        details: { limit_bytes: MAX_JSON_BYTES },
      });
    }
    try {
      request.event.state.json = JSON.parse(text);
    } catch {
      throw new ApiError('invalid_json', 'The body is not valid JSON.', {
        remediation: 'Send a JSON object with Content-Type: application/json.',
      });
    }
  },
});
