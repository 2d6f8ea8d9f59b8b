import * as z from 'zod/mini';
import { described, named, page, timestamp } from '../contract';

const mapping = z.strictObject({
  columns: described(z.record(z.string(), z.string()), 'CSV column → model field.'),
  id_column: described(z.string(), "The column holding the source's own id: a re-import updates by it."),
});

/** An import as GET /v1/imports/{id} shows it (core/imports/view.ts). */
export const importView = named(
  'Import',
  z.strictObject({
    id: described(z.string(), '`imp_…`'),
    status: z.enum(['awaiting_upload', 'queued', 'running', 'success', 'partial', 'error']),
    model: z.string(),
    mode: z.enum(['incremental', 'full']),
    end_user_id: z.string(),
    workspace_id: z.nullable(z.string()),
    filename: z.nullable(z.string()),
    source: described(
      z.nullable(z.string()),
      'The export recognised from the headers (`jira`, `trello`, …) or `custom`.',
    ),
    rows_total: described(z.nullable(z.int()), 'Once the whole file was read.'),
    rows_imported: z.int(),
    rows_failed: z.int(),
    cells_flagged: described(z.int(), 'Cells a spreadsheet would run as a formula: kept as text.'),
    bytes_read: z.int(),
    bytes_total: z.nullable(z.int()),
    errors: described(
      z.array(z.strictObject({ row: z.int(), column: z.optional(z.string()), message: z.string() })),
      'The first 100 row errors; `row` counts the header as row 1.',
    ),
    error: described(z.nullable(z.string()), 'Why the import ended `error`.'),
    suggested_mapping: z.optional(mapping),
    connection_id: described(z.nullable(z.string()), 'The `csv` connection its rows are records of.'),
    created_at: timestamp(),
    started_at: z.nullable(timestamp()),
    finished_at: z.nullable(timestamp()),
  }),
);

export const importWithUpload = named(
  'ImportUpload',
  z.strictObject({
    ...importView.shape,
    upload_url: described(z.string(), 'PUT the file here (presigned S3 URL, no other header needed).'),
    upload_expires_at: timestamp(),
  }),
);

export const importList = named('ImportList', page('imports', importView));
