import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerFor } from '../../functions/workers';
import { pollWorker } from '../../local/runtime';
import { call, expectError, type Harness, type Json, newTenant, startHarness } from './harness';

/**
 * CSV import through the HTTP API on the local stack: the file lands in the imports bucket
 * (fauxqs S3), its S3 event reaches the import queue, the worker turns rows into records.
 */
const FIXTURES = join(import.meta.dirname, '../fixtures/imports');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

let h: Harness;
let poller: { stop: () => Promise<void> };
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });

beforeAll(async () => {
  h = await startHarness();
  poller = pollWorker(sqs, workerFor('import'));
});
afterAll(async () => {
  await poller.stop();
  sqs.destroy();
  await h.stop();
});

const api = (path: string, init: { method?: string; body?: unknown; key?: string } = {}) =>
  call(h.gateway.url, path, {
    key: init.key ?? h.key,
    method: init.method ?? 'GET',
    ...(init.body !== undefined
      ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) }
      : {}),
  });

/** POST /v1/imports with the file as a text/csv body (through `call`: its answer is held to the contract). */
const inline = (csv: string | Buffer, query: Record<string, string>, key = h.key) =>
  call(h.gateway.url, `/v1/imports?${new URLSearchParams({ model: 'work_item', ...query })}`, {
    key,
    method: 'POST',
    headers: { 'content-type': 'text/csv' },
    body: csv,
  });

const FINISHED = ['success', 'partial', 'error'];
const waitForImport = async (id: string, timeoutMs = 40_000): Promise<Json> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await api(`/v1/imports/${id}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    if (FINISHED.includes(r.body.data.status)) return r.body.data;
    if (Date.now() > deadline) throw new Error(`import ${id} still ${r.body.data.status}`);
    await new Promise((res) => setTimeout(res, 250));
  }
};

/** Imports a file inline and waits for the end. */
const importCsv = async (csv: string | Buffer, query: Record<string, string>) => {
  const r = await inline(csv, query);
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  expect(r.body.data).toMatchObject({ id: expect.stringMatching(/^imp_/), status: 'queued' });
  return waitForImport(r.body.data.id);
};

/** The feed of a connection from `cursor` (null: the start) to now. */
const readFeed = async (connectionId: string, cursor: string | null = null) => {
  const records: Json[] = [];
  for (;;) {
    const r = await api(
      `/v1/records?connection_id=${connectionId}&model=work_item&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    records.push(...r.body.data.records);
    cursor = r.body.data.next_cursor;
    if (!r.body.data.has_more) break;
  }
  return { records, cursor };
};

describe('each sample export becomes records of a csv connection', () => {
  it.each([
    ['jira.csv', 'jira', 4],
    ['trello.csv', 'trello', 3],
    ['asana.csv', 'asana', 3],
    ['clickup.csv', 'clickup', 3],
    ['linear.csv', 'linear', 4],
    ['github.csv', 'github', 3],
  ])('%s', { timeout: 60_000 }, async (file, source, rows) => {
    const done = await importCsv(fixture(file), { end_user_id: `u_${source}` });
    expect(done, JSON.stringify(done)).toMatchObject({
      status: 'success',
      source,
      rows_total: rows,
      rows_imported: rows,
      rows_failed: 0,
      errors: [],
      bytes_total: fixture(file).length,
      bytes_read: fixture(file).length,
      connection_id: expect.stringMatching(/^conn_/),
      finished_at: expect.any(String),
    });
    const { records } = await readFeed(done.connection_id);
    expect(records).toHaveLength(rows);
    for (const r of records) {
      expect(r.id).toMatch(new RegExp(`^csv_${source}_`));
      expect(['open', 'in_progress', 'done', 'cancelled']).toContain(r.status);
      expect(r._meta.last_action).toBe('added');
      expect(r._meta.source_id).toBe(r.id.slice(`csv_${source}_`.length));
    }
    const conn = (await api(`/v1/connections/${done.connection_id}`)).body.data;
    expect(conn).toMatchObject({ provider: 'csv', end_user_id: `u_${source}`, status: 'active' });
  });
});

describe('re-imports', () => {
  it('the same file again changes nothing; an edited file changes exactly the edited rows; full deletes what is gone', {
    timeout: 90_000,
  }, async () => {
    const csv = fixture('github.csv').toString('utf8');
    const first = await importCsv(csv, { end_user_id: 'u_reimport' });
    expect(first.status).toBe('success');
    const { records, cursor } = await readFeed(first.connection_id);
    expect(records).toHaveLength(3);

    const again = await importCsv(csv, { end_user_id: 'u_reimport' });
    expect(again).toMatchObject({ status: 'success', rows_imported: 3, connection_id: first.connection_id });
    const after = await readFeed(first.connection_id, cursor);
    expect(after.records).toEqual([]);

    const edited = csv.replace('Add --json output', 'Add --json and --yaml output');
    const third = await importCsv(edited, { end_user_id: 'u_reimport' });
    expect(third.status).toBe('success');
    const changed = await readFeed(first.connection_id, after.cursor);
    expect(changed.records.map((r: Json) => [r.id, r.title, r._meta.last_action])).toEqual([
      ['csv_github_1348', 'Add --json and --yaml output', 'updated'],
    ]);

    // mode=full without issue 1349: it is marked deleted, the others stay as they are.
    const without = edited
      .split('\n')
      .filter((l) => !l.startsWith('1349,'))
      .join('\n');
    const full = await importCsv(without, { end_user_id: 'u_reimport', mode: 'full' });
    expect(full).toMatchObject({ status: 'success', rows_imported: 2 });
    const gone = await readFeed(first.connection_id, changed.cursor);
    expect(gone.records.map((r: Json) => [r.id, r._meta.last_action, r._meta.deleted_at !== null])).toEqual([
      ['csv_github_1349', 'deleted', true],
    ]);
    // Incremental imports never delete: one of another end user's is untouched.
    const list = (await api('/v1/imports?end_user_id=u_reimport')).body.data.imports;
    expect(list.map((i: Json) => i.id)).toEqual([full.id, third.id, again.id, first.id]);
    const ok = (await api('/v1/imports?end_user_id=u_reimport&status=success')).body.data.imports;
    expect(ok).toHaveLength(4);
  });

  it('a first import repeating an id batches apart: the later row updates the record the earlier one added', {
    timeout: 60_000,
  }, async () => {
    // Batches are 500 rows: row 1,300 is two batches after row 1 (a connection's first
    // import reads back only ids it may have written already).
    const lines = ['number,title,body,state,labels,createdAt,updatedAt'];
    for (let i = 1; i <= 1_300; i++) {
      const n = i === 1_300 ? 1 : i;
      const title = i === 1_300 ? 'Issue 1 edited later in the file' : `Issue ${n}`;
      lines.push(`${n},${title},body,OPEN,bug,2026-04-01T00:00:00Z,2026-04-02T00:00:00Z`);
    }
    const done = await importCsv(`${lines.join('\n')}\n`, { end_user_id: 'u_repeat' });
    expect(done).toMatchObject({ status: 'success', rows_imported: 1_300, rows_failed: 0 });
    const { records } = await readFeed(done.connection_id);
    expect(records).toHaveLength(1_299);
    const first = records.find((r: Json) => r.id === 'csv_github_1');
    expect([first?.title, first?._meta.last_action]).toEqual(['Issue 1 edited later in the file', 'updated']);
    expect(records.filter((r: Json) => r._meta.last_action === 'updated')).toHaveLength(1);
  });

  it('a batch ends at 2 MB of the file, whatever its row count: wide rows repeating an id batch apart', {
    timeout: 60_000,
  }, async () => {
    // Twelve rows of ~300 KB: without a byte bound they are one batch, and the repeated id
    // (row 12 is row 1 again) is merged into one added record; bounded, row 12 is a later
    // batch's update of the record row 1 added.
    const body = 'x'.repeat(300_000);
    const lines = ['number,title,body,state,labels,createdAt,updatedAt'];
    for (let i = 1; i <= 12; i++) {
      const n = i === 12 ? 1 : i;
      lines.push(`${n},Wide issue ${i},${body},OPEN,bug,2026-04-01T00:00:00Z,2026-04-02T00:00:00Z`);
    }
    const done = await importCsv(`${lines.join('\n')}\n`, { end_user_id: 'u_wide' });
    expect(done).toMatchObject({ status: 'success', rows_imported: 12, rows_failed: 0 });
    const { records } = await readFeed(done.connection_id);
    expect(records).toHaveLength(11);
    const first = records.find((r: Json) => r.id === 'csv_github_1');
    expect([first?.title, first?._meta.last_action]).toEqual(['Wide issue 12', 'updated']);
  });
});

describe('upload through a presigned URL', () => {
  it('201 with upload_url; the PUT starts the import; it finishes with every row', {
    timeout: 60_000,
  }, async () => {
    const r = await api('/v1/imports', {
      method: 'POST',
      body: { filename: 'linear.csv', model: 'work_item', end_user_id: 'u_presigned' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const created = r.body.data;
    expect(created).toMatchObject({
      id: expect.stringMatching(/^imp_/),
      status: 'awaiting_upload',
      upload_url: expect.stringMatching(/^http/),
      filename: 'linear.csv',
    });
    const expires = Date.parse(created.upload_expires_at) - Date.now();
    expect(expires).toBeGreaterThan(14 * 60_000);
    expect(expires).toBeLessThanOrEqual(15 * 60_000);
    expect((await api(`/v1/imports/${created.id}`)).body.data.status).toBe('awaiting_upload');

    const put = await fetch(created.upload_url, { method: 'PUT', body: fixture('linear.csv') });
    expect(put.status).toBe(200);
    const done = await waitForImport(created.id);
    expect(done).toMatchObject({ status: 'success', rows_imported: 4, source: 'linear' });
  });
});

describe('mappings', () => {
  it('unknown headers end the import with an error naming the columns and a suggested mapping; a mapping imports them', {
    timeout: 60_000,
  }, async () => {
    const csv = 'Ref;Headline;Stage;Opened\nT-1;First;Doing;2026-04-01\nT-2;Second;Shipped;2026-04-02\n';
    const failed = await importCsv(csv, { end_user_id: 'u_custom' });
    expect(failed).toMatchObject({
      status: 'error',
      rows_imported: 0,
      connection_id: null,
      suggested_mapping: {
        id_column: 'Ref',
        columns: { Headline: 'title', Stage: 'status', Opened: 'created_at' },
      },
    });
    expect(failed.error).toContain('"Ref", "Headline", "Stage", "Opened"');

    const mapping = JSON.stringify(failed.suggested_mapping);
    const done = await importCsv(csv, { end_user_id: 'u_custom', mapping });
    expect(done).toMatchObject({ status: 'success', rows_imported: 2, source: 'custom' });
    const { records } = await readFeed(done.connection_id);
    expect(records.map((r: Json) => [r.id, r.title, r.status, r.raw_status])).toEqual([
      ['csv_custom_T-1', 'First', 'in_progress', 'Doing'],
      ['csv_custom_T-2', 'Second', 'done', 'Shipped'],
    ]);
  });
});

describe('bad input: a clear error, never a 5xx, never a half-written record', () => {
  it('answers 4xx for bad requests', async () => {
    expectError(await inline('', { end_user_id: 'u_bad' }), 422, 'validation_failed');
    expectError(await inline('a,b\n1,2\n', {}), 422, 'validation_failed');
    expectError(
      await inline('a,b\n1,2\n', { end_user_id: 'u_bad', mapping: '{nope' }),
      422,
      'validation_failed',
    );
    const m = await inline('a,b\n1,2\n', {
      end_user_id: 'u_bad',
      mapping: JSON.stringify({ columns: { a: 'colour' } }),
    });
    const e = expectError(m, 422, 'validation_failed');
    expect(e.details.issues.map((i: Json) => i.path)).toEqual(
      expect.arrayContaining(['query.mapping.columns.a', 'query.mapping.id_column']),
    );
    expectError(
      await inline(Buffer.alloc(5 * 1024 * 1024 + 1, 0x61), { end_user_id: 'u_bad' }),
      413,
      'payload_too_large',
    );
    const notJson = await call(h.gateway.url, '/v1/imports', {
      key: h.key,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expectError(notJson, 400, 'invalid_json');
    expectError(
      await api('/v1/imports', { method: 'POST', body: { model: 'work_item' } }),
      422,
      'validation_failed',
    );
    expectError(await api('/v1/imports/imp_01jzzzzzzzzzzzzzzzzzzzzzzz'), 404, 'not_found');
    expectError(await api('/v1/imports?status=done'), 422, 'validation_failed');
    expectError(await call(h.gateway.url, '/v1/imports'), 401, 'unauthorized');
  });

  it('another tenant sees none of them', async () => {
    const done = await importCsv(fixture('asana.csv'), { end_user_id: 'u_iso' });
    const other = await newTenant('other');
    expectError(await api(`/v1/imports/${done.id}`, { key: other.key }), 404, 'not_found');
    expect((await api('/v1/imports', { key: other.key })).body.data.imports).toEqual([]);
  });

  it.each([
    ['header only', 'number,title,state\n', /header row but no data rows/],
    [
      'binary garbage',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]),
      /binary/,
    ],
    ['not CSV (JSON)', '{"issues": [{"id": 1}]}', /JSON, not CSV/],
    ['not CSV (HTML)', '<!DOCTYPE html><html><body>Sign in</body></html>', /HTML, not CSV/],
    ['not an export', 'hello world\nthis is a letter\n', /not those of a Jira/],
    ['one 1 MB line', 'x'.repeat(1024 * 1024), /over 64 KB/],
    ['whitespace only', '\n\n  \n', /empty/],
  ])(
    '%s → the import ends error, saying why, and writes no record',
    { timeout: 30_000 },
    async (_, csv, why) => {
      const done = await importCsv(csv, { end_user_id: 'u_badfile' });
      expect(done.status).toBe('error');
      expect(done.error).toMatch(why);
      expect(done.rows_imported).toBe(0);
    },
  );

  it('rows with the wrong field count or a bad date fail alone; formula cells stay text and are flagged', {
    timeout: 30_000,
  }, async () => {
    const csv = [
      'number,title,state,createdAt',
      '1,Fine,OPEN,2026-04-01T00:00:00Z',
      '2,Too,many,fields,here',
      '3,"=HYPERLINK(""http://evil.example"",""click"")",OPEN,2026-04-01T00:00:00Z',
      '4,Bad date,OPEN,yesterday',
      '5,"Quoted',
      'newline",CLOSED,2026-04-02T00:00:00Z',
    ].join('\r\n');
    const done = await importCsv(`\ufeff${csv}`, { end_user_id: 'u_rows' });
    expect(done).toMatchObject({
      status: 'partial',
      rows_total: 5,
      rows_imported: 3,
      rows_failed: 2,
      cells_flagged: 1,
      errors: [
        { row: 3, message: 'The row has 5 fields; the header has 4.' },
        { row: 5, column: 'createdAt', message: expect.stringMatching(/Not a date/) },
      ],
    });
    const { records } = await readFeed(done.connection_id);
    const byId = Object.fromEntries(records.map((r: Json) => [r.id, r]));
    expect(Object.keys(byId).sort()).toEqual(['csv_github_1', 'csv_github_3', 'csv_github_5']);
    expect(byId.csv_github_3.title).toBe('=HYPERLINK("http://evil.example","click")');
    expect(byId.csv_github_3.raw).toEqual({ formula_cells: 'title' });
    expect(byId.csv_github_5.title).toBe('Quoted\r\nnewline');
  });

  it('reads UTF-16 (Excel "Unicode text": tab-separated, BOM) and semicolons', {
    timeout: 30_000,
  }, async () => {
    const text = '\ufeffnumber\ttitle\tstate\n7\tÜberprüfung — 検証\tOPEN\n';
    const done = await importCsv(Buffer.from(text, 'utf16le'), { end_user_id: 'u_utf16' });
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'success', rows_imported: 1 });
    const { records } = await readFeed(done.connection_id);
    expect(records[0]).toMatchObject({ id: 'csv_github_7', title: 'Überprüfung — 検証', status: 'open' });
  });
});

describe('npm run admin -- import', () => {
  it('uploads through the presigned URL with a progress bar and prints the finished import', {
    timeout: 90_000,
  }, async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const root = join(import.meta.dirname, '../..');
    const { stdout, stderr } = await promisify(execFile)(
      join(root, 'node_modules/.bin/tsx'),
      [
        'local/admin.ts',
        '--aws',
        'import',
        join(FIXTURES, 'clickup.csv'),
        '--tenant',
        h.tenantId,
        '--end-user',
        'u_cli',
      ],
      { cwd: root, env: process.env },
    );
    const view = JSON.parse(stdout.slice(stdout.indexOf('{')));
    expect(view).toMatchObject({
      status: 'success',
      rows_imported: 3,
      source: 'clickup',
      filename: 'clickup.csv',
    });
    expect(stderr).toMatch(/upload \[.*\] 100%/);
    expect(stderr).toMatch(/import \[.*\] 100% \| \d+\/\d+ bytes \| 3 rows/);
  });
});

describe('outbound events', () => {
  it('an import ending emits import.completed or import.failed (with the import) to subscribers', {
    timeout: 60_000,
  }, async () => {
    const { CreateQueueCommand, ReceiveMessageCommand } = await import('@aws-sdk/client-sqs');
    const { queues } = await import('../../core/platform/resources');
    const sub = await api('/v1/webhook-subscriptions', {
      method: 'POST',
      body: { url: 'http://127.0.0.1:9/hooks', events: ['import.completed', 'import.failed'] },
    });
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);
    // Delivery messages caught in a queue of this test's own, which no worker polls.
    const capture = (await sqs.send(new CreateQueueCommand({ QueueName: `imports-capture-${Date.now()}` })))
      .QueueUrl as string;
    const outbound = process.env[queues.outbound.env];
    process.env[queues.outbound.env] = capture;
    try {
      const ok = await importCsv(fixture('trello.csv'), { end_user_id: 'u_events' });
      const failed = await importCsv('just one column\n', { end_user_id: 'u_events' });
      const events: Json[] = [];
      for (const deadline = Date.now() + 10_000; events.length < 2 && Date.now() < deadline; ) {
        const got = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: capture, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
        );
        events.push(...(got.Messages ?? []).map((m) => JSON.parse(m.Body as string).event));
      }
      const byType = Object.fromEntries(events.map((e) => [e.type, e.data]));
      expect(byType['import.completed']).toMatchObject({ id: ok.id, status: 'success', rows_imported: 3 });
      expect(byType['import.failed']).toMatchObject({ id: failed.id, status: 'error' });
    } finally {
      process.env[queues.outbound.env] = outbound;
    }
  });
});
