import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';
import { type Key, queryPage } from './query-page';

/**
 * CSV imports: one item per import in the runs table (an expiring, time-ordered log, like
 * sync runs), holding its status, counters, first errors and the worker's checkpoint.
 * Layout in core/store/README.md.
 */
export type ImportStatus = 'awaiting_upload' | 'queued' | 'running' | 'success' | 'partial' | 'error';
export const FINISHED: readonly ImportStatus[] = ['success', 'partial', 'error'];

export type ImportRowError = { row: number; column?: string; message: string };

/** `columns`: CSV column → model field; `id_column`: the column holding the source's own id. */
export type ImportMapping = { columns: Record<string, string>; id_column: string };

/** How the worker reads the file, fixed once its head was sniffed; resumes reuse it. */
export type ImportFormat = {
  encoding: 'utf8' | 'utf16le' | 'utf16be';
  delimiter: ',' | ';' | '\t';
  header: string[];
  /** Where the first data row starts (after the BOM and the header row). */
  dataOffset: number;
  /** The export's origin (`jira`, `trello`, … or `custom` for an explicit mapping). */
  source: string;
  mapping: ImportMapping;
};

export type ImportCheckpoint = {
  /** Byte offset where the next unread row starts. */
  offset: number;
  /** The row number (1 = header) of the last row stored. */
  row: number;
};

export type ImportItem = {
  tenant_id: string;
  id: string;
  end_user_id: string;
  workspace_id?: string;
  model: string;
  mode: 'incremental' | 'full';
  filename?: string;
  /** The mapping the caller sent, if any. */
  mapping?: ImportMapping;
  status: ImportStatus;
  upload_expires_at?: string;
  connection_id?: string;
  source?: string;
  format?: ImportFormat;
  checkpoint?: ImportCheckpoint;
  rows_total?: number;
  rows_imported: number;
  rows_failed: number;
  /** Cells that would run as a formula in a spreadsheet (`=`, `+`, `-`, `@` …), kept as text. */
  cells_flagged: number;
  bytes_read: number;
  bytes_total?: number;
  errors: ImportRowError[];
  /** Why an import ended `error`, in a sentence. */
  error?: string;
  /** For unknown headers: what a mapping for them could look like. */
  suggested_mapping?: ImportMapping;
  /** The invocation working on it: progress saves are fenced by it. */
  worker?: string;
  created_at: string;
  started_at?: string;
  finished_at?: string;
  expires_at: number;
};

/** Imports are kept (TTL) as long as sync runs: 30 days. */
export const IMPORT_RETENTION_SECONDS = 30 * 86400;
/** GET /v1/imports/{id} shows the first errors only. */
export const MAX_ERRORS = 100;

const pk = (t: string) => `TENANT#${t}`;
const sk = (id: string) => `IMP#${id}`;
const byEndUser = (t: string, u: string) => `TENANT#${t}#IMPORTS#EU#${u}`;

const strip = (i: Record<string, unknown>) => {
  const { pk: _p, sk: _s, gsi1pk: _g, gsi1sk: _h, ...rest } = i;
  return rest as ImportItem;
};

export const putImport = async (item: ImportItem): Promise<void> => {
  await dynamo().send(
    new PutCommand({
      TableName: tableName('runs'),
      Item: {
        pk: pk(item.tenant_id),
        sk: sk(item.id),
        gsi1pk: byEndUser(item.tenant_id, item.end_user_id),
        gsi1sk: sk(item.id),
        ...item,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
};

export const getImport = async (t: string, id: string): Promise<ImportItem | undefined> => {
  const r = await dynamo().send(
    new GetCommand({ TableName: tableName('runs'), Key: { pk: pk(t), sk: sk(id) }, ConsistentRead: true }),
  );
  return r.Item ? strip(r.Item) : undefined;
};

/**
 * Sets fields (undefined ones are removed) and adds to counters, when the import is not
 * finished — and, with `worker`, only while that invocation still owns it (a worker whose
 * lease lapsed can't overwrite the progress of the one that took over). `status` limits
 * the statuses it may move from. Undefined when the condition failed.
 */
export const updateImport = async (
  t: string,
  id: string,
  fields: Partial<Omit<ImportItem, 'tenant_id' | 'id' | 'end_user_id'>>,
  options: {
    add?: Partial<Record<'rows_imported' | 'rows_failed' | 'cells_flagged', number>>;
    appendErrors?: ImportRowError[];
    worker?: string;
    from?: readonly ImportStatus[];
  } = {},
): Promise<ImportItem | undefined> => {
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const removes: string[] = [];
  for (const [k, v] of Object.entries(fields)) {
    names[`#${k}`] = k;
    if (v === undefined) removes.push(`#${k}`);
    else {
      values[`:${k}`] = v;
      sets.push(`#${k} = :${k}`);
    }
  }
  for (const [k, n] of Object.entries(options.add ?? {})) {
    if (!n) continue;
    names[`#${k}`] = k;
    values[`:add_${k}`] = n;
    sets.push(`#${k} = #${k} + :add_${k}`);
  }
  if (options.appendErrors?.length) {
    names['#errors'] = 'errors';
    values[':errs'] = options.appendErrors;
    sets.push('#errors = list_append(#errors, :errs)');
  }
  const conds = ['attribute_exists(pk)'];
  const from = options.from ?? ['awaiting_upload', 'queued', 'running'];
  conds.push(`#status IN (${from.map((_, i) => `:from${i}`).join(', ')})`);
  from.forEach((s, i) => {
    values[`:from${i}`] = s;
  });
  if (options.worker !== undefined) {
    names['#worker'] = 'worker';
    values[':worker'] = options.worker;
    conds.push('#worker = :worker');
  }
  const expr = [
    sets.length ? `SET ${sets.join(', ')}` : '',
    removes.length ? `REMOVE ${removes.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  if (!expr) return getImport(t, id);
  try {
    const r = await dynamo().send(
      new UpdateCommand({
        TableName: tableName('runs'),
        Key: { pk: pk(t), sk: sk(id) },
        UpdateExpression: expr,
        ConditionExpression: conds.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return r.Attributes ? strip(r.Attributes) : undefined;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return undefined;
    throw e;
  }
};

export type ImportFilter = { end_user_id?: string | undefined; status?: string | undefined };

/** Imports newest first: of one end user through gsi1, else of the tenant. */
export const listImports = async (t: string, f: ImportFilter, limit: number, startKey: Key | undefined) => {
  const statusFilter = f.status
    ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } }
    : {};
  const statusValue = f.status ? { ':status': f.status } : {};
  const r = await queryPage<Record<string, unknown>>(
    {
      TableName: tableName('runs'),
      ScanIndexForward: false,
      ...(f.end_user_id
        ? {
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': byEndUser(t, f.end_user_id), ...statusValue },
          }
        : {
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :imp)',
            ExpressionAttributeValues: { ':pk': pk(t), ':imp': 'IMP#', ...statusValue },
          }),
      ...statusFilter,
    },
    {
      limit,
      startKey,
      keyOf: (i) =>
        f.end_user_id
          ? { pk: i.pk as string, sk: i.sk as string, gsi1pk: i.gsi1pk as string, gsi1sk: i.gsi1sk as string }
          : { pk: i.pk as string, sk: i.sk as string },
    },
  );
  return { items: r.items.map(strip), nextKey: r.nextKey };
};
