import { createReadStream, readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { basename } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import cliProgress from 'cli-progress';
import { createUploadImport, getImport, uploadBody } from '../core/imports/imports';

/**
 * `npm run admin -- import <file.csv> --tenant … --end-user …`: the JSON form of
 * POST /v1/imports, the file PUT to its presigned URL (S3 wants a Content-Length, so it is
 * streamed with one rather than chunked), then the import followed to its end. Progress:
 * cli-progress (a maintained bar) — bytes, rows/s and ETA while uploading and importing.
 */
export const importFile = async (options: {
  file: string;
  tenantId: string;
  endUserId: string;
  workspaceId?: string | undefined;
  mappingFile?: string | undefined;
  full: boolean;
  out?: NodeJS.WritableStream;
}): Promise<Awaited<ReturnType<typeof getImport>>> => {
  const size = statSync(options.file).size;
  const body = uploadBody.safeParse({
    filename: basename(options.file),
    model: 'work_item',
    end_user_id: options.endUserId,
    ...(options.workspaceId ? { workspace_id: options.workspaceId } : {}),
    mode: options.full ? 'full' : 'incremental',
    ...(options.mappingFile ? { mapping: JSON.parse(readFileSync(options.mappingFile, 'utf8')) } : {}),
  });
  if (!body.success) {
    throw new Error(body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const created = await createUploadImport(options.tenantId, body.data);
  const bars = new cliProgress.MultiBar(
    {
      format:
        '{phase} [{bar}] {percentage}% | {value}/{total} bytes | {rows} rows, {rate} rows/s | ETA {eta_formatted}',
      hideCursor: true,
      stream: (options.out ?? process.stderr) as NodeJS.WriteStream,
      // Not a terminal (CI, a pipe): redraw anyway, at most twice a second.
      noTTYOutput: true,
      notTTYSchedule: 500,
    },
    cliProgress.Presets.shades_classic,
  );
  const upload = bars.create(size, 0, { phase: 'upload', rows: 0, rate: 0 });
  const url = new URL(created.upload_url);
  let sent = 0;
  await new Promise<void>((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      { method: 'PUT', headers: { 'content-length': String(size) } },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200
            ? resolve()
            : reject(
                new Error(
                  res.statusCode === 413
                    ? 'upload refused: HTTP 413 — the local S3 (fauxqs) takes at most 11 MiB a request (S3 on AWS takes up to 5 GB in one PUT)'
                    : `upload refused: HTTP ${res.statusCode}`,
                ),
              ),
        );
      },
    );
    req.on('error', reject);
    const count = new Transform({
      transform(chunk: Buffer, _e, done) {
        sent += chunk.length;
        upload.update(sent);
        done(null, chunk);
      },
    });
    pipeline(createReadStream(options.file), count, req).catch(reject);
  });
  upload.update(size);
  const work = bars.create(size, 0, { phase: 'import', rows: 0, rate: 0 });
  const started = Date.now();
  let view = await getImport(options.tenantId, created.id);
  while (!['success', 'partial', 'error'].includes(view.status)) {
    await new Promise((r) => setTimeout(r, 500));
    view = await getImport(options.tenantId, created.id);
    const rows = view.rows_imported + view.rows_failed;
    work.update(view.bytes_read, {
      rows,
      rate: Math.round(rows / Math.max(0.001, (Date.now() - started) / 1000)),
    });
  }
  work.update(view.bytes_total ?? size);
  bars.stop();
  return view;
};
