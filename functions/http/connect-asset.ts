import { asset } from '../connect-page/assets';
import { pageEndpoint } from '../connect-page/page-endpoint';

// What this route serves; /connect.js has a route of its own.
const served = new Set(['connect.css', 'connect-page.js']);

/**
 * GET /connect/assets/{file} (public) — the connect page's stylesheet and script. Pages ask
 * for them with `?v=<hash of the content>`: that exact version may be cached for good.
 */
export const handler = pageEndpoint('../', async (req) => {
  const file = req.event.pathParameters?.file ?? '';
  if (!served.has(file)) {
    return {
      status: 404,
      data: null,
      headers: { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' },
      raw: { contentType: 'text/plain; charset=utf-8', body: 'Not found.\n' },
    };
  }
  const a = asset(file as 'connect.css' | 'connect-page.js');
  const current = req.event.queryStringParameters?.v === a.hash;
  return {
    data: null,
    headers: {
      'cache-control': current ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'same-origin',
    },
    raw: { contentType: a.contentType, body: a.body },
  };
});
