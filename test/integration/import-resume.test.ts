import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DeleteMessageCommand, type Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, expect, it } from 'vitest';
import { importView } from '../../core/imports/view';
import { runImport } from '../../core/imports/worker';
import { queueUrl } from '../../core/platform/config';
import { importObjectKey, putImportObject } from '../../core/store/import-objects';
import { getImport, putImport } from '../../core/store/imports-repo';
import { handler } from '../../functions/workers/import-worker';
import { lambdaContext } from '../../local/lambda-context';
import { sqsRecord } from '../sqs-record';
import { call, type Json, ownResources, startHarness } from './harness';

/**
 * A worker killed mid-file, and one out of time, each resume from the checkpoint and end
 * with exactly the file's rows. On a set of resources of its own (no S3 notifications
 * there): these tests hand the worker its S3 event themselves, and no other poller takes it.
 */
let tenantId: string;
let key: string;
let gatewayUrl: string;

beforeAll(async () => {
  await ownResources('imp');
  const h = await startHarness();
  ({ tenantId, key } = h);
  gatewayUrl = h.gateway.url;
  return () => h.stop();
});

/** A GitHub-shaped export of `n` issues, some with quoted newlines. */
const bigCsv = (n: number) => {
  const lines = ['number,title,body,state,labels,createdAt,updatedAt'];
  for (let i = 1; i <= n; i++) {
    lines.push(
      `${i},Issue ${i},"${i % 7 === 0 ? 'two\nlines' : 'one line, with a comma'}",${i % 3 ? 'OPEN' : 'CLOSED'},bug,2026-04-01T00:00:00Z,2026-04-02T00:00:00Z`,
    );
  }
  return Buffer.from(`${lines.join('\n')}\n`);
};

/** An import whose object is stored, and the S3 event that would announce it. */
const stage = async (csv: Buffer, endUser: string) => {
  const id = `imp_${Date.now().toString(36).padStart(26, '0')}`.slice(0, 30);
  await putImport({
    tenant_id: tenantId,
    id,
    end_user_id: endUser,
    model: 'work_item',
    mode: 'incremental',
    status: 'queued',
    rows_imported: 0,
    rows_failed: 0,
    cells_flagged: 0,
    bytes_read: 0,
    bytes_total: csv.length,
    errors: [],
    created_at: new Date().toISOString(),
    expires_at: Math.floor(Date.now() / 1000) + 3600,
  });
  await putImportObject(tenantId, id, csv);
  const event = {
    Records: [
      {
        eventSource: 'aws:s3',
        eventName: 'ObjectCreated:Put',
        s3: { bucket: { name: 'imports' }, object: { key: importObjectKey(tenantId, id), size: csv.length } },
      },
    ],
  };
  return { id, event: JSON.stringify(event) };
};

const feedIds = async (connectionId: string) => {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (;;) {
    const r: Json = await call(
      gatewayUrl,
      `/v1/records?connection_id=${connectionId}&model=work_item&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { key },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    ids.push(...r.body.data.records.map((x: Json) => x.id));
    cursor = r.body.data.next_cursor;
    if (!r.body.data.has_more) return ids;
  }
};

const record = (body: string) => sqsRecord(body, { receiptHandle: 'rh', queue: 'ImportQueue' });

it('a worker killed mid-file resumes from its checkpoint and ends with exactly the file’s rows', {
  timeout: 120_000,
}, async () => {
  const rows = 20_000;
  const { id, event } = await stage(bigCsv(rows), 'u_killed');
  // Node itself with tsx's loader, not the `tsx` command: that one runs the script in a
  // child process of its own, which a SIGKILL to it leaves running (an orphan that went on
  // importing and, on a fast run, finished the file before the "resumed" worker started).
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'import-worker-child.ts'), event],
    {
      env: { ...process.env, CHILD_TIMEOUT_MS: '8000', POWERTOOLS_LOG_LEVEL: 'ERROR' },
      stdio: 'ignore',
    },
  );
  const exited = new Promise((r) => child.once('exit', r));
  // Killed once some batches are stored and well before the end.
  let seen = 0;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
    seen = (await getImport(tenantId, id))?.rows_imported ?? 0;
    if (seen >= 1000) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  await exited;
  // A write the worker sent just before it died may still be landing: read once it has.
  await new Promise((r) => setTimeout(r, 500));
  const killed = await getImport(tenantId, id);
  expect(killed?.status).toBe('running');
  expect(killed?.rows_imported).toBeGreaterThanOrEqual(1000);
  expect(killed?.rows_imported).toBeLessThan(rows);
  expect(killed?.checkpoint?.offset).toBeGreaterThan(0);
  // Dead means dead: past a checkpoint interval (2 s), nothing has moved the import on.
  await new Promise((r) => setTimeout(r, 2_500));
  const still = await getImport(tenantId, id);
  expect(still?.rows_imported).toBe(killed?.rows_imported);
  expect(still?.checkpoint).toEqual(killed?.checkpoint);

  // The message comes back (the visibility timeout): the dead worker's lease runs out within
  // its 8-second invocation, then the import resumes where the checkpoint says.
  let outcome = await runImport(
    { tenantId, importId: id },
    { remainingMs: () => 60_000, lastAttempt: false },
  );
  for (const deadline = Date.now() + 30_000; outcome.kind === 'retry' && Date.now() < deadline; ) {
    await new Promise((r) => setTimeout(r, 500));
    outcome = await runImport({ tenantId, importId: id }, { remainingMs: () => 60_000, lastAttempt: false });
  }
  expect(outcome).toEqual({ kind: 'done', status: 'success' });
  const done = importView((await getImport(tenantId, id)) as never);
  expect(done).toMatchObject({
    status: 'success',
    rows_total: rows,
    rows_imported: rows,
    rows_failed: 0,
    errors: [],
  });
  const ids = await feedIds(done.connection_id as string);
  expect(ids).toHaveLength(rows);
  expect(new Set(ids).size).toBe(rows);
});

it('an invocation running out of time saves its place, queues the rest, and the next one finishes', {
  timeout: 60_000,
}, async () => {
  const rows = 3_000;
  const { id, event } = await stage(bigCsv(rows), 'u_timeout');
  // Lambda's clock: plenty at the start, then about to run out after the first batch.
  let calls = 0;
  const context = {
    ...lambdaContext('import-worker'),
    getRemainingTimeInMillis: () => (calls++ === 0 ? 100_000 : 1_000),
  };
  const r1 = await handler({ Records: [record(event)] }, context);
  expect(r1.batchItemFailures).toEqual([]);
  const part = await getImport(tenantId, id);
  expect(part?.status).toBe('running');
  expect(part?.rows_imported).toBe(500);

  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  // The continuation of this import (a killed worker above may have left one of its own).
  let msg: Message | undefined;
  for (let i = 0; i < 5 && !msg; i++) {
    const got = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl('import'),
        WaitTimeSeconds: 1,
        MaxNumberOfMessages: 10,
      }),
    );
    for (const m of got.Messages ?? []) {
      await sqs.send(
        new DeleteMessageCommand({ QueueUrl: queueUrl('import'), ReceiptHandle: m.ReceiptHandle }),
      );
      if (JSON.parse(m.Body ?? '{}').import_id === id) msg = m;
    }
  }
  expect(JSON.parse(msg?.Body ?? '{}')).toEqual({ kind: 'continue', tenant_id: tenantId, import_id: id });
  sqs.destroy();

  const r2 = await handler(
    { Records: [record(msg?.Body as string)] },
    lambdaContext('import-worker', 900_000),
  );
  expect(r2.batchItemFailures).toEqual([]);
  const done = importView((await getImport(tenantId, id)) as never);
  expect(done).toMatchObject({ status: 'success', rows_imported: rows, rows_total: rows });
  expect(await feedIds(done.connection_id as string)).toHaveLength(rows);
});
