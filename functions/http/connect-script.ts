import { asset } from '../connect-page/assets';
import { pageEndpoint } from '../connect-page/page-endpoint';

/**
 * GET /connect.js (public) — the script a customer's frontend loads to open the connect page
 * as a popup: `openConnect(connectUrl) → Promise<{ connection_id }>`. Loadable from any
 * origin (with or without `crossorigin`, and by pages that require CORP).
 */
export const handler = pageEndpoint('connect/', async () => {
  const a = asset('connect.js');
  return {
    data: null,
    headers: {
      'cache-control': 'public, max-age=300',
      'x-content-type-options': 'nosniff',
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
    },
    raw: { contentType: a.contentType, body: a.body },
  };
});
