import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { newId } from '../../core/platform/ids';
import { CORS_ALLOWED_HEADERS, CORS_MAX_AGE_SECONDS, corsHeaders } from '../middleware/cors';
import { corsPaths } from '../routes';

const methodsByPath = new Map(corsPaths().map((p) => [p.path, p.methods]));

/**
 * `OPTIONS <end-user path>` — a CORS preflight, answered from the route table alone. Not an
 * `endpoint()`: a preflight carries no credentials and no body, so there is nothing to
 * authenticate, count or validate, and no business code runs.
 */
export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const path = event.routeKey.replace(/^OPTIONS /, '');
  const methods = methodsByPath.get(path) ?? [];
  const allowed = methods.includes('ANY') ? ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] : methods;
  return {
    statusCode: 204,
    headers: {
      ...corsHeaders(),
      'access-control-allow-methods': [...allowed, 'OPTIONS'].join(', '),
      'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(', '),
      'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
      'x-request-id': newId('req'),
    },
    body: '',
  };
};
