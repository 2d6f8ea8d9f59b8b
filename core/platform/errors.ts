/** The error codes of API.md, each with its HTTP status. One table, used by every layer. */
export const errorStatus = {
  invalid_json: 400,
  validation_failed: 422,
  unsupported_api_version: 400,
  invalid_cursor: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  unknown_provider: 404,
  integration_not_configured: 400,
  connection_not_ready: 409,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  action_failed: 422,
  provider_unreachable: 502,
  service_unavailable: 503,
  internal_error: 500,
  // GET /v1/connect/start for a session that cannot start again: the callback's own error
  // codes (API.md), as an envelope since there is no redirect_url to send them to yet.
  state_expired: 410,
  invalid_state: 410,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export type ApiErrorOptions = {
  details?: Record<string, unknown>;
  remediation?: string;
  headers?: Record<string, string>;
  /**
   * Where API.md names another status for a code on one route (the proxy: a path that would
   * leave the API base is 400 `validation_failed`, not 422).
   */
  status?: number;
};

/**
 * A failure the client should see as it is. Anything thrown that is not an ApiError
 * becomes `internal_error` with no message of its own, so internals never leak.
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown>;
  readonly remediation: string | undefined;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: ApiErrorOptions = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = options.status ?? errorStatus[code];
    this.details = options.details ?? {};
    this.remediation = options.remediation;
    this.headers = options.headers ?? {};
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;
