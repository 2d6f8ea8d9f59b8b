import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { RateLimitState } from '../../core/tenants/rate-limit';
import type { AuthContext } from '../../core/tenants/tenants';

/** What the chain learns about a request, kept beside the raw event. */
export type RequestState = {
  requestId: string;
  apiVersion?: string;
  auth?: AuthContext;
  rateLimit?: RateLimitState;
  json?: unknown;
  parsed?: { body?: unknown; query?: unknown; path?: unknown };
  startedAt: number;
};

export type ApiEvent = APIGatewayProxyEventV2 & { state: RequestState };
export type ApiResult = APIGatewayProxyStructuredResultV2 & {
  headers: Record<string, string | number | boolean>;
};
export type ApiRequest = {
  event: ApiEvent;
  context: Context;
  response: ApiResult | undefined | null;
  error: unknown;
  internal: Record<string, unknown>;
};
