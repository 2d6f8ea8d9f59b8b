import type { MiddlewareObj } from '@middy/core';
import { apiVersions, latestApiVersion } from '../../core/platform/config';
import { ApiError } from '../../core/platform/errors';
import type { ApiEvent, ApiResult } from './types';

/** `X-Api-Version`: absent means the latest; unknown is 400; the served one is echoed. */
export const apiVersion = (): MiddlewareObj<ApiEvent, ApiResult> => {
  const echo = (request: { event: ApiEvent; response: ApiResult | null | undefined }) => {
    const served = request.event.state?.apiVersion;
    if (request.response && served) {
      request.response.headers = { ...request.response.headers, 'x-api-version': served };
    }
  };
  return {
    before: (request) => {
      const asked = request.event.headers?.['x-api-version']?.trim();
      if (asked === undefined || asked === '') {
        request.event.state.apiVersion = latestApiVersion;
        return;
      }
      if (!(apiVersions as readonly string[]).includes(asked)) {
        throw new ApiError(
          'unsupported_api_version',
          `API version '${asked.slice(0, 40)}' is not supported.`,
          {
            details: { supported: apiVersions },
            remediation: `Send X-Api-Version: ${latestApiVersion}, or omit the header for the latest.`,
          },
        );
      }
      request.event.state.apiVersion = asked;
    },
    after: echo,
    onError: echo,
  };
};
