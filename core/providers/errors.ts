import { isProviderError } from '../../adapters/errors';
import { ApiError } from '../platform/errors';

// Refusals of ours (core/platform/provider-http.ts, core/providers/endpoints.ts): retrying won't help.
export const refusalRemediations: Record<string, string> = {
  address_not_allowed: 'A provider host must resolve to public addresses only: check the host.',
  endpoint_not_allowed:
    "PATCH the integration's endpoints to the provider's own domains, or ask the operator to allow-list the host.",
};

/**
 * A provider's refusal or failure, as the API says it: the provider's own reason for a
 * rejection (422), `provider_unreachable` for network errors and 5xx (502), and its
 * rate limit passed on with Retry-After (429). Anything else is ours (500).
 */
export const toApiError = (e: unknown, providerName: string, path = 'body.credentials'): unknown => {
  if (!isProviderError(e)) return e;
  if (e.kind === 'rejected') {
    return new ApiError('validation_failed', `${providerName} refused: ${e.providerMessage}`, {
      details: {
        provider_message: e.providerMessage,
        ...(e.status ? { provider_status: e.status } : {}),
        issues: [{ path: e.field ? `${path}.${e.field}` : path, message: e.providerMessage }],
      },
      remediation: `Check the credentials at ${providerName} and try again.`,
    });
  }
  if (e.kind === 'rate_limited') {
    const retry = e.retryAfterSeconds ?? 60;
    return new ApiError('rate_limited', `${providerName} is rate limiting these credentials.`, {
      details: { provider: providerName },
      headers: { 'retry-after': String(retry) },
    });
  }
  return new ApiError('provider_unreachable', `${providerName} could not be reached: ${e.providerMessage}`, {
    details: { provider: providerName, ...(e.status ? { provider_status: e.status } : {}) },
    remediation: refusalRemediations[e.code ?? ''] ?? 'Retry later; nothing was created.',
  });
};
