import type * as z from 'zod/mini';
import {
  createInlineImport,
  createUploadImport,
  inlineQuery,
  MAX_INLINE_BYTES,
  uploadBody,
} from '../../core/imports/imports';
import { ApiError } from '../../core/platform/errors';
import { endpoint, tenantOf } from '../middleware';
import { MAX_JSON_BYTES } from '../middleware/json-body';

const invalid = (where: string, error: z.core.$ZodError) =>
  new ApiError('validation_failed', 'The request does not match the schema.', {
    details: {
      issues: error.issues.map((i) => ({
        path: [where, ...i.path.map(String)].join('.'),
        message: i.message,
      })),
    },
  });

/**
 * POST /v1/imports — two forms on one route (API.md "CSV import"): `Content-Type: text/csv`
 * with the file as the body (≤ 5 MB) → 202; JSON `{ filename, model, end_user_id, … }` → 201
 * with a presigned `upload_url` for files up to 1 GB. The body is read here rather than by the
 * JSON middleware, which would refuse a CSV body as invalid JSON.
 */
export const handler = endpoint({}, async (req) => {
  const { event } = req;
  const contentType = String(event.headers?.['content-type'] ?? '').toLowerCase();
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (/^text\/csv\b/.test(contentType)) {
    const q = inlineQuery.safeParse(event.queryStringParameters ?? {});
    if (!q.success) throw invalid('query', q.error);
    return { status: 202, data: await createInlineImport(tenantOf(req), q.data, bytes) };
  }
  if (bytes.length > MAX_JSON_BYTES) {
    throw new ApiError('payload_too_large', `The body is over ${MAX_JSON_BYTES} bytes.`, {
      details: { limit_bytes: MAX_JSON_BYTES },
      remediation: `Send a CSV file (≤ ${MAX_INLINE_BYTES} bytes) with Content-Type: text/csv, or JSON to get an upload URL.`,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ApiError('invalid_json', 'The body is not valid JSON.', {
      remediation:
        'Send JSON { "filename", "model", "end_user_id" } with Content-Type: application/json, or the CSV file with Content-Type: text/csv.',
    });
  }
  const body = uploadBody.safeParse(json);
  if (!body.success) throw invalid('body', body.error);
  return { status: 201, data: await createUploadImport(tenantOf(req), body.data) };
});
