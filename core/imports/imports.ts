import * as z from 'zod/mini';
import { externalId } from '../connections/read';
import { ApiError } from '../platform/errors';
import { newId } from '../platform/ids';
import { readPage, scopeOf } from '../platform/paging';
import { presignImportUpload, putImportObject } from '../store/import-objects';
import * as repo from '../store/imports-repo';
import { IMPORT_MODELS, mappingSchema } from './mapping';
import { importView } from './view';

/**
 * POST /v1/imports (inline CSV or a presigned upload), GET /v1/imports/{id} and the list.
 * Both upload paths end the same way: the file is an object in the imports bucket, and its
 * S3 event starts the worker — so a 5 KB file and a 1 GB one take one road.
 */

/** Inline bodies: API Gateway takes 10 MB and Lambda's invocation payload 6 MB; 5 MB leaves room. */
export const MAX_INLINE_BYTES = 5 * 1024 * 1024;
/** How long a presigned upload URL works. */
export const UPLOAD_URL_SECONDS = 15 * 60;

const common = {
  model: z.enum(IMPORT_MODELS),
  end_user_id: externalId,
  workspace_id: z.optional(externalId),
  mode: z.optional(z.enum(['incremental', 'full'])),
};

/** The JSON form: a file of any size (≤ 1 GB), PUT to the returned `upload_url`. */
export const uploadBody = z.strictObject({
  ...common,
  filename: z.string().check(z.minLength(1), z.maxLength(255)),
  mapping: z.optional(mappingSchema),
});
export type UploadBody = z.infer<typeof uploadBody>;

/** The inline form's query: the same fields, `mapping` as JSON text. */
export const inlineQuery = z.strictObject({
  ...common,
  filename: z.optional(z.string().check(z.minLength(1), z.maxLength(255))),
  mapping: z.optional(z.string().check(z.maxLength(64 * 1024))),
});
export type InlineQuery = z.infer<typeof inlineQuery>;

const issue = (path: string, message: string) =>
  new ApiError('validation_failed', 'The request does not match the schema.', {
    details: { issues: [{ path, message }] },
  });

const newImport = (tenantId: string, f: Omit<UploadBody, 'filename'> & { filename?: string | undefined }) => {
  const now = Date.now();
  return {
    tenant_id: tenantId,
    id: newId('imp'),
    end_user_id: f.end_user_id,
    ...(f.workspace_id ? { workspace_id: f.workspace_id } : {}),
    model: f.model,
    mode: f.mode ?? 'incremental',
    ...(f.filename ? { filename: f.filename } : {}),
    ...(f.mapping ? { mapping: f.mapping } : {}),
    rows_imported: 0,
    rows_failed: 0,
    cells_flagged: 0,
    bytes_read: 0,
    errors: [],
    created_at: new Date(now).toISOString(),
    expires_at: Math.floor(now / 1000) + repo.IMPORT_RETENTION_SECONDS,
  } satisfies Omit<repo.ImportItem, 'status'>;
};

/** A file sent as the request body (text/csv, ≤ 5 MB): stored, and queued by its S3 event. */
export const createInlineImport = async (tenantId: string, q: InlineQuery, body: Buffer) => {
  if (body.length > MAX_INLINE_BYTES) {
    throw new ApiError('payload_too_large', `An inline CSV body is at most ${MAX_INLINE_BYTES} bytes.`, {
      details: { limit_bytes: MAX_INLINE_BYTES },
      remediation:
        'POST /v1/imports with JSON { filename, model, end_user_id } and PUT the file to the upload_url.',
    });
  }
  if (body.length === 0) throw issue('body', 'The body is empty: send the CSV file as the body.');
  let mapping: repo.ImportMapping | undefined;
  if (q.mapping !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(q.mapping);
    } catch {
      throw issue('query.mapping', 'Not JSON: send { "columns": { … }, "id_column": "…" }, URL-encoded.');
    }
    const r = mappingSchema.safeParse(json);
    if (!r.success) {
      throw new ApiError('validation_failed', 'The request does not match the schema.', {
        details: {
          issues: r.error.issues.map((i) => ({
            path: ['query', 'mapping', ...i.path.map(String)].join('.'),
            message: i.message,
          })),
        },
      });
    }
    mapping = r.data;
  }
  const item: repo.ImportItem = {
    ...newImport(tenantId, { ...q, mapping }),
    status: 'queued',
    bytes_total: body.length,
  };
  // The item first: the object's S3 event may reach the worker before this returns.
  await repo.putImport(item);
  await putImportObject(tenantId, item.id, body);
  return importView(item);
};

/** The JSON form: an import awaiting its file, and a URL to PUT it to (15 minutes). */
export const createUploadImport = async (tenantId: string, body: UploadBody) => {
  const expiresAt = new Date(Date.now() + UPLOAD_URL_SECONDS * 1000).toISOString();
  const item: repo.ImportItem = {
    ...newImport(tenantId, body),
    status: 'awaiting_upload',
    upload_expires_at: expiresAt,
  };
  await repo.putImport(item);
  const uploadUrl = await presignImportUpload(tenantId, item.id, UPLOAD_URL_SECONDS);
  return { ...importView(item), upload_url: uploadUrl, upload_expires_at: expiresAt };
};

const notFound = () =>
  new ApiError('not_found', 'No such import.', { remediation: 'GET /v1/imports lists your imports.' });

export const getImport = async (tenantId: string, id: string) => {
  const i = /^imp_[0-9a-z]{26}$/.test(id) ? await repo.getImport(tenantId, id) : undefined;
  if (!i) throw notFound();
  return importView(i);
};

export const listQuery = {
  end_user_id: z.optional(externalId),
  status: z.optional(z.enum(['awaiting_upload', 'queued', 'running', 'success', 'partial', 'error'])),
};

export const listImports = async (
  tenantId: string,
  filter: repo.ImportFilter,
  page: { limit: number; cursor?: string | undefined },
) => {
  const { items, next_cursor } = await readPage(tenantId, scopeOf('imports', filter), page, (limit, start) =>
    repo.listImports(tenantId, filter, limit, start),
  );
  return { imports: items.map(importView), next_cursor };
};
