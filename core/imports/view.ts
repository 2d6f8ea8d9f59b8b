import type { ImportItem } from '../store/imports-repo';

/**
 * An import as GET /v1/imports/{id} shows it (API.md "CSV import"), plus what helps act on
 * it: `error` (why it ended `error`), `suggested_mapping` (unknown headers), `source` (the
 * export it was recognised as) and `cells_flagged` (formula-like cells kept as text).
 */
export const importView = (i: ImportItem) => {
  // An upload URL that expired unused: the import can't start any more; say so.
  const expired =
    i.status === 'awaiting_upload' &&
    i.upload_expires_at !== undefined &&
    Date.parse(i.upload_expires_at) < Date.now();
  return {
    id: i.id,
    status: expired ? ('error' as const) : i.status,
    model: i.model,
    mode: i.mode,
    end_user_id: i.end_user_id,
    workspace_id: i.workspace_id ?? null,
    filename: i.filename ?? null,
    source: i.source ?? null,
    rows_total: i.rows_total ?? null,
    rows_imported: i.rows_imported,
    rows_failed: i.rows_failed,
    cells_flagged: i.cells_flagged,
    bytes_read: i.bytes_read,
    bytes_total: i.bytes_total ?? null,
    errors: i.errors,
    error: expired
      ? 'The upload URL expired before a file arrived: create the import again.'
      : (i.error ?? null),
    ...(i.suggested_mapping ? { suggested_mapping: i.suggested_mapping } : {}),
    connection_id: i.connection_id ?? null,
    created_at: i.created_at,
    started_at: i.started_at ?? null,
    finished_at: i.finished_at ?? null,
  };
};

export type ImportView = ReturnType<typeof importView>;
