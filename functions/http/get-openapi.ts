import { brotliDecompressSync } from 'node:zlib';
import { endpoint } from '../middleware';
import { servedDocumentBrotli } from './openapi-document';

// The committed document (docs/openapi.json), compressed at build time by `npm run openapi`:
// the document served is the one reviewed with the code, and a cold start parses ≈ 27 KB of
// base64 instead of a 246 KB object literal. Decompressed once per container, on the first
// request (a few ms), into the same body `JSON.stringify(document)` gave.
let body: string | undefined;

/** GET /v1/openapi.json (public) — the contract as OpenAPI 3.1, the document itself (no envelope). */
export const handler = endpoint({}, async () => {
  body ??= brotliDecompressSync(Buffer.from(servedDocumentBrotli, 'base64')).toString('utf8');
  return {
    raw: { body, contentType: 'application/json' },
    headers: { 'cache-control': 'public, max-age=300' },
  };
});
