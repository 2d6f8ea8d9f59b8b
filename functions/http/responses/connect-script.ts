import * as z from 'zod/mini';
import { defineContract, described } from '../../openapi/contract';
import { failurePages } from '../../openapi/shapes/connect-page';

export const contract = defineContract({
  tag: 'Connect page',
  summary: '/connect.js, to open the connect page as a popup',
  description:
    "Public, for your frontend: `openConnect(connectUrl) → Promise<{ connection_id }>` opens the session's `connect_url` in a popup (call it from a click) and resolves when the page posts the outcome back (`postMessage`, taken only from that popup at this service's origin); it rejects with an Error whose `code` is `popup_blocked`, `popup_closed` or the page's error (`access_denied`, …). Loadable from any origin (`Access-Control-Allow-Origin: *`, `Cross-Origin-Resource-Policy: cross-origin`), cached five minutes.",
  success: {
    status: 200,
    description: 'The script.',
    raw: { contentType: 'text/javascript', schema: described(z.string(), 'Defines `window.openConnect`.') },
  },
  rawErrors: failurePages,
});
