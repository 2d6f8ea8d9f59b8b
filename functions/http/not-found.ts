import { ApiError } from '../../core/platform/errors';
import { endpoint } from '../middleware';

/** The `$default` route: whatever matched no row of the route table. */
export const handler = endpoint({}, async (req) => {
  throw new ApiError(
    'not_found',
    `No route ${req.event.requestContext.http.method} ${req.event.rawPath.slice(0, 200)}.`,
    {
      remediation: 'See API.md for the routes; paths start with /v1.',
    },
  );
});
