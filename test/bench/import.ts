import { createWriteStream, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createUploadImport } from '../../core/imports/imports';
import { recordsPk } from '../../core/store/records-repo';
import { createTenant } from '../../core/tenants/tenants';
import { workerFor } from '../../functions/workers';
import { startCounterparts } from '../../local/counterparts';
import { provision } from '../../local/provision';
import { asDeployed, bundlePrograms, parseSizes, runChild } from './programs';

/**
 * CSV import throughput: a generated Jira-shaped export ("all fields"-like, ~400 bytes a row)
 * through the whole path on the local stack — presigned PUT to fauxqs S3, its S3 event on the
 * import queue, the real import worker (bundled as CDK bundles it, in a process of its own,
 * with the deployed Node flags) into DynamoDB Local — against the floor of BatchWriteItem
 * alone putting the same rows into the same table in the same run.
 *
 *   npm run bench -- import [--sizes=100000,1000000] [--worker-flags="…"]
 *
 * Rows/s = rows ÷ (first queue message → import over). Peak RSS is the worker process's.
 * The worker's node starts as Lambda's runtime starts it (its row in functions/workers.ts; see
 * asDeployed): V8's heap sized from the row's memory on the command line, then the row's flags
 * through lib/node-flags.sh. `--worker-flags="…"` instead runs node with exactly those flags
 * on its command line (`--worker-flags=`: V8's defaults for this host).
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = join(repoRoot, '.bench/import');
const TARGETS = { ratio: 0.8, peakRssMb: 256 } as const;
const ENTRIES = {
  worker: 'test/bench/fixtures/import-worker-host.ts',
  raw: 'test/bench/fixtures/raw-import-writes.ts',
} as const;

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const STATUSES = ['To Do', 'In Progress', 'In Review', 'Done', 'Closed'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Writes a Jira-shaped export of `rows` issues; a description every 10th row spans lines. */
const generate = async (file: string, rows: number) => {
  const out = createWriteStream(file);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  await write(
    'Summary,Issue key,Issue id,Issue Type,Status,Project key,Project name,Priority,Resolution,Assignee,Reporter,Created,Updated,Due Date,Labels,Labels,Description,Sprint\n',
  );
  for (let i = 1; i <= rows; i++) {
    const status = STATUSES[i % STATUSES.length] as string;
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = MONTHS[i % 12];
    const description =
      i % 10 === 0
        ? `"Steps to reproduce:\n1. Open the page\n2. Click ""Save"" on item ${i}"`
        : `Customers report that the export of batch ${i} stops half-way; logs attached in the ticket.`;
    await write(
      `Fix the export of batch ${i} for the billing team,BENCH-${i},${100000 + i},Bug,${status},BENCH,Benchmark,Medium,${status === 'Closed' ? "Won't Do" : ''},Ada Lovelace,Grace Hopper,${day}/${month}/26 9:30 AM,${day}/${month}/26 4:45 PM,,backend,billing,${description},Sprint ${i % 20}\n`,
    );
  }
  await new Promise<void>((r) => out.end(() => r()));
};

type WorkerOut = {
  ms: number;
  status: string;
  rowsImported: number;
  rowsFailed: number;
  error: string | null;
  peakRssMb: number;
  peakRssByQuarterMb: number[];
};
type RawOut = { ms: number; calls: number; records: number; peakRssMb: number };

export const runImportBench = async (args: readonly string[]): Promise<void> => {
  const sizes = parseSizes(args, [100_000]);
  const row = workerFor('import');
  const flagsArg = args.find((a) => a.startsWith('--worker-flags='));
  const node =
    flagsArg === undefined
      ? asDeployed(row.memoryMb ?? 512 /* the house function's default */, row.nodeFlags)
      : {
          wrapper: undefined,
          args: flagsArg.slice('--worker-flags='.length).split(' ').filter(Boolean),
          env: {} as Record<string, string>,
        };
  await mkdir(outDir, { recursive: true });
  console.log(
    `node ${process.version}; sizes ${sizes.map((n) => fmt(n)).join(', ')}; worker: ` +
      `${node.wrapper ? `${basename(node.wrapper)} ` : ''}node ${node.args.join(' ')}` +
      Object.entries(node.env)
        .map(([k, v]) => ` ${k}="${v}"`)
        .join(''),
  );
  const programs = await bundlePrograms(ENTRIES, outDir, repoRoot);
  console.log('starting DynamoDB Local, fauxqs (SQS + S3), Secrets Manager (in memory)…');
  const counterparts = await startCounterparts();
  const results: {
    size: number;
    mb: number;
    worker: WorkerOut;
    raw: RawOut;
    rowsPerSecond: number;
    rawPerSecond: number;
  }[] = [];
  try {
    const resources = await provision(counterparts.env, { notifyBucket: counterparts.notifyBucket });
    const serviceEnv: Record<string, string> = {
      ...counterparts.env,
      ...resources,
      PUBLIC_API_URL: 'http://127.0.0.1',
      WEBHOOK_BASE_URL: 'http://127.0.0.1/webhooks',
      POWERTOOLS_LOG_LEVEL: 'WARN',
    };
    Object.assign(process.env, serviceEnv);
    const childEnv = (extra: Record<string, string>) => ({
      PATH: process.env.PATH ?? '',
      ...serviceEnv,
      ...extra,
    });
    const tenant = await createTenant('import-bench');
    for (const [round, size] of sizes.entries()) {
      const file = join(outDir, `jira-${size}.csv`);
      await generate(file, size);
      const mb = statSync(file).size / 1024 ** 2;
      console.log(`\n== ${fmt(size)} rows, ${fmt(mb, 1)} MB`);
      console.log('raw BatchWriteItem of the same rows (25 a call, sequential)…');
      const raw = await runChild<RawOut>(
        programs.raw,
        childEnv({
          BENCH_FILE: file,
          BENCH_PK: recordsPk(tenant.tenant_id, `conn_raw_${round}`, 'work_item'),
        }),
        outDir,
      );
      console.log(`  ${fmt(raw.records)} records in ${fmt(raw.ms / 1000, 1)} s of BatchWriteItem`);

      // The upload: the admin CLI's presigned PUT, without the bars (the worker is elsewhere).
      const created = await createUploadImport(tenant.tenant_id, {
        filename: basename(file),
        model: 'work_item',
        end_user_id: `bench_${round}`,
      });
      // Every 500 ms of the worker: RSS, V8's spaces, external memory (see the README).
      const memoryLog = join(outDir, `worker-memory-${size}.jsonl`);
      await rm(memoryLog, { force: true });
      const worker = runChild<WorkerOut>(
        programs.worker,
        childEnv({
          BENCH_TENANT_ID: tenant.tenant_id,
          BENCH_IMPORT_ID: created.id,
          BENCH_MEMORY_LOG: memoryLog,
          ...node.env,
        }),
        outDir,
        node.args,
        node.wrapper,
      );
      await uploadTo(created.upload_url, file, tenant.tenant_id, created.id);
      console.log(`uploaded; worker on import ${created.id}…`);
      const w = await worker;
      if (w.status !== 'success' || w.rowsImported !== size)
        throw new Error(`the import ended ${JSON.stringify(w)}`);
      const rowsPerSecond = size / (w.ms / 1000);
      const rawPerSecond = raw.records / (raw.ms / 1000);
      results.push({ size, mb, worker: w, raw, rowsPerSecond, rawPerSecond });
      // Each size as it ends: a long run that is stopped keeps what it measured.
      console.log(
        `  worker ${fmt(rowsPerSecond)} rows/s vs raw ${fmt(rawPerSecond)}: ratio ${(rowsPerSecond / rawPerSecond).toFixed(2)}; peak RSS ${fmt(w.peakRssMb, 1)} MB (by quarter ${w.peakRssByQuarterMb.map((x) => fmt(x, 0)).join(' / ')})`,
      );
    }
  } finally {
    await counterparts.stop();
  }
  console.log(
    `\ntargets: ratio ≥ ${TARGETS.ratio}; worker peak RSS ≤ ${TARGETS.peakRssMb} MB and flat in size`,
  );
  console.table(
    results.map((r) => ({
      rows: fmt(r.size),
      MB: fmt(r.mb, 1),
      'worker rows/s': fmt(r.rowsPerSecond),
      'raw rows/s': fmt(r.rawPerSecond),
      ratio: (r.rowsPerSecond / r.rawPerSecond).toFixed(2),
      'worker s': fmt(r.worker.ms / 1000, 1),
      'peak RSS MB': fmt(r.worker.peakRssMb, 1),
      'RSS by quarter': r.worker.peakRssByQuarterMb.map((x) => fmt(x, 0)).join(' / '),
      'raw peak RSS MB': fmt(r.raw.peakRssMb, 1),
    })),
  );
};

/**
 * Stores the file as the upload would. A presigned PUT up to fauxqs's request limit (11 MiB;
 * on AWS one PUT takes up to 5 GB); beyond it, the same object by multipart upload, 8 MiB a
 * part — S3 sends the same ObjectCreated event on completing it (our local notifier too).
 */
const FAUXQS_BODY_LIMIT = 11 * 1024 * 1024;
const uploadTo = async (url: string, file: string, tenantId: string, importId: string) => {
  const size = statSync(file).size;
  if (size > FAUXQS_BODY_LIMIT) {
    const { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, UploadPartCommand } = await import(
      '@aws-sdk/client-s3'
    );
    const { s3Client } = await import('../../core/platform/aws');
    const { bucketName } = await import('../../core/platform/config');
    const { importObjectKey } = await import('../../core/store/import-objects');
    const { open } = await import('node:fs/promises');
    const target = { Bucket: bucketName('imports'), Key: importObjectKey(tenantId, importId) };
    const { UploadId } = await s3Client().send(new CreateMultipartUploadCommand(target));
    const fh = await open(file);
    const parts: { PartNumber: number; ETag: string }[] = [];
    const PART = 8 * 1024 * 1024;
    try {
      for (let n = 1, at = 0; at < size; n++, at += PART) {
        const buf = Buffer.alloc(Math.min(PART, size - at));
        await fh.read(buf, 0, buf.length, at);
        const r = await s3Client().send(
          new UploadPartCommand({ ...target, UploadId, PartNumber: n, Body: buf }),
        );
        parts.push({ PartNumber: n, ETag: r.ETag as string });
      }
    } finally {
      await fh.close();
    }
    await s3Client().send(
      new CompleteMultipartUploadCommand({ ...target, UploadId, MultipartUpload: { Parts: parts } }),
    );
    return;
  }
  const { request } = await import('node:http');
  const { createReadStream } = await import('node:fs');
  await new Promise<void>((ok, fail) => {
    const req = request(
      new URL(url),
      { method: 'PUT', headers: { 'content-length': String(size) } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? ok() : fail(new Error(`PUT ${res.statusCode}`))));
      },
    );
    req.on('error', fail);
    createReadStream(file).pipe(req);
  });
};
