import document from '../../docs/openapi.json' with { type: 'json' };
import { endpoint } from '../middleware';

// Embedded at build time (esbuild inlines the committed file): no read at run time, and the
// document served is the one reviewed with the code. Serialised once per container.
const body = JSON.stringify(document);

/** GET /v1/openapi.json (public) — the contract as OpenAPI 3.1, the document itself (no envelope). */
export const handler = endpoint({}, async () => ({
  raw: { body, contentType: 'application/json' },
  headers: { 'cache-control': 'public, max-age=300' },
}));
