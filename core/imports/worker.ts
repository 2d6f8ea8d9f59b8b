import { type Readable, Transform } from 'node:stream';
import { type CsvError, parse } from 'csv-parse';
import { emitEvent, emitRecordsChanged } from '../outbound/emit';
import { newId } from '../platform/ids';
import { logger } from '../platform/log';
import { updateConnection } from '../store/connections-repo';
import { importObjectSize, readImportObject } from '../store/import-object-reads';
import { parseImportObjectKey } from '../store/import-objects';
import {
  FINISHED,
  getImport,
  type ImportItem,
  type ImportRowError,
  MAX_ERRORS,
  updateImport,
} from '../store/imports-repo';
import { acquireLease, releaseLease } from '../store/lease-repo';
import {
  applyPage,
  deleteUnseen,
  hasRecords,
  lookupRecords,
  recordsPk,
  SETTLE_MS,
  type Summary,
} from '../store/records-repo';
import { csvConnectionFor } from './connection';
import { PRESETS, type ResolvedMapping, resolveMapping, rowMapper } from './mapping';
import type { ImportMessage } from './message';
import { enqueueContinuation } from './queue';
import { seenIds } from './seen-ids';
import { HEAD_BYTES, NotCsv, sniff } from './sniff';
import { importView } from './view';

/**
 * The import worker: streams the uploaded object through csv-parse, maps each row, and
 * upserts records in batches exactly as a sync page is applied (same hashes, same feed),
 * one batch's writes beside the next batch's parsing. Every couple of seconds it saves a
 * checkpoint — the byte offset where the next stored row starts and the counters — in one
 * write, so a crashed or timed-out invocation resumes with a ranged GET from there and
 * counts nothing twice. Never more than three batches in memory, each at most 500 rows or 2 MB
 * of the file.
 */
export const MAX_FILE_BYTES = 1024 ** 3;
/** A record longer than this is no export's row (an unclosed quote swallowing the file). */
export const MAX_ROW_BYTES = 1024 * 1024;
const BATCH_ROWS = 500;
/**
 * Or fewer, once a batch's rows took this many bytes of the file: what the worker holds is
 * bounded by bytes, not rows alone — three batches (one filling, two being written) of an
 * export with long descriptions would otherwise be three times 500 wide rows, each held as
 * cells, mapped record and request.
 */
const BATCH_BYTES = 2 * 1024 * 1024;
/**
 * Batches written at once: a batch's 20 BatchWriteItem calls end unevenly, and the next
 * batch's calls fill that tail instead of waiting for the slowest one.
 */
const IN_FLIGHT = 2;
/** A checkpoint at most this long or this many bytes of the file after the one before. */
const CHECKPOINT_MS = 2_000;
const CHECKPOINT_BYTES = 8 * 1024 * 1024;
// Leave this much of the invocation for the last batch, the checkpoint and the re-queue: a
// minute of Lambda's 15, less of a shorter one.
const SAFETY_MS = 60_000;
const SAFETY_SHARE = 0.15;
/** The record model CSV imports write, and the `sync` their records carry (a full import deletes only its own). */
const MODEL = 'work_item';
const SYNC = 'csv';

export type ImportOutcome =
  | { kind: 'done'; status: 'success' | 'partial' | 'error' | 'dropped' | 'duplicate' }
  | { kind: 'continued' }
  | { kind: 'retry'; delaySeconds: number; reason: string };

type Budget = { remainingMs: () => number; lastAttempt: boolean };

/** The imports a message is about: an S3 event's objects, or a continuation's import. */
export const importTargets = (msg: ImportMessage): { tenantId: string; importId: string }[] => {
  if ('kind' in msg) return [{ tenantId: msg.tenant_id, importId: msg.import_id }];
  if (!('Records' in msg)) return []; // s3:TestEvent, sent when the notification is set up
  return msg.Records.flatMap((r) => {
    if (!r.eventName.startsWith('ObjectCreated:')) return [];
    // S3 event keys are URL-encoded with `+` for spaces.
    const target = parseImportObjectKey(decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')));
    if (!target)
      logger.warn('object outside the imports layout ignored', { key: r.s3.object.key.slice(0, 200) });
    return target ? [target] : [];
  });
};

/** A promise started now and awaited later: a rejection is held until then, never unhandled. */
const held = <T>(p: Promise<T>): (() => Promise<T>) => {
  const settled = p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return async () => {
    const r = await settled;
    if (!r.ok) throw r.error;
    return r.value;
  };
};

/** UTF-16BE → UTF-16LE, carrying an odd byte across chunks (csv-parse reads LE only). */
const swap16 = () => {
  let carry: Buffer | undefined;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
      const even = buf.length - (buf.length % 2);
      carry = even < buf.length ? buf.subarray(even) : undefined;
      const out = Buffer.from(buf.subarray(0, even));
      out.swap16();
      done(null, out);
    },
  });
};

const readAll = async (s: Readable): Promise<Buffer> => {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(c as Buffer);
  return Buffer.concat(parts);
};

/** Ends the import: status, counters, finished_at; then its event. Only the update that finishes it emits. */
const finish = async (
  imp: ImportItem,
  worker: string | undefined,
  fields: Partial<ImportItem> & { status: 'success' | 'partial' | 'error' },
): Promise<ImportOutcome> => {
  const done = await updateImport(
    imp.tenant_id,
    imp.id,
    { ...fields, finished_at: new Date().toISOString() },
    worker === undefined ? {} : { worker },
  );
  if (!done) return { kind: 'done', status: 'duplicate' };
  logger.info('import finished', {
    tenant_id: done.tenant_id,
    import_id: done.id,
    status: done.status,
    rows_imported: done.rows_imported,
    rows_failed: done.rows_failed,
  });
  await emitEvent(
    done.tenant_id,
    done.status === 'error' ? 'import.failed' : 'import.completed',
    importView(done) as Record<string, unknown>,
  );
  return { kind: 'done', status: done.status as 'success' | 'partial' | 'error' };
};

/**
 * Works on one import: from the S3 event that its object landed, or from a continuation.
 * `invocation` names this attempt (progress saves are fenced by it).
 */
export const runImport = async (
  target: { tenantId: string; importId: string },
  budget: Budget,
): Promise<ImportOutcome> => {
  const { tenantId, importId } = target;
  const safetyMs = Math.min(SAFETY_MS, budget.remainingMs() * SAFETY_SHARE);
  let imp = await getImport(tenantId, importId);
  if (!imp) return { kind: 'done', status: 'dropped' };
  if (FINISHED.includes(imp.status)) return { kind: 'done', status: 'duplicate' };
  const size = await importObjectSize(tenantId, importId);
  // A continuation outliving its object (the bucket keeps files a week): nothing to read.
  if (size === undefined) return { kind: 'done', status: 'dropped' };

  const worker = newId('req');
  const leaseName = `import:${importId}`;
  if (!(await acquireLease(tenantId, leaseName, worker, budget.remainingMs()))) {
    return { kind: 'retry', delaySeconds: 30, reason: 'another invocation works on this import' };
  }
  let connectionLease: string | undefined;
  try {
    imp = await updateImport(tenantId, importId, {
      status: 'running',
      worker,
      bytes_total: size,
      started_at: imp.started_at ?? new Date().toISOString(),
    });
    if (!imp) return { kind: 'done', status: 'duplicate' };
    if (size === 0)
      return finish(imp, worker, { status: 'error', error: 'The file is empty.', rows_total: 0 });
    if (size > MAX_FILE_BYTES) {
      return finish(imp, worker, { status: 'error', error: 'The file is over 1 GB.', rows_total: 0 });
    }

    // First invocation: what the file is, how its columns map, and its connection.
    if (!imp.format) {
      const head = await readAll(await readImportObject(tenantId, importId, 0, Math.min(size, HEAD_BYTES)));
      let sniffed: ReturnType<typeof sniff>;
      try {
        sniffed = sniff(head, size <= HEAD_BYTES);
      } catch (e) {
        if (!(e instanceof NotCsv)) throw e;
        return finish(imp, worker, { status: 'error', error: e.message, rows_total: 0 });
      }
      const resolved = resolveMapping(sniffed.header, imp.mapping);
      if ('error' in resolved) {
        return finish(imp, worker, {
          status: 'error',
          error: resolved.error,
          rows_total: 0,
          ...(resolved.suggested ? { suggested_mapping: resolved.suggested } : {}),
        });
      }
      const connectionId = await csvConnectionFor(
        tenantId,
        imp.end_user_id,
        resolved.source,
        imp.workspace_id,
      );
      imp = await updateImport(
        tenantId,
        importId,
        {
          connection_id: connectionId,
          source: resolved.source,
          format: { ...sniffed, source: resolved.source, mapping: resolved.mapping },
          checkpoint: { offset: sniffed.dataOffset, row: 1 },
          bytes_read: sniffed.dataOffset,
        },
        { worker },
      );
      if (!imp) return { kind: 'done', status: 'duplicate' };
    }
    const format = imp.format;
    const connectionId = imp.connection_id;
    if (!format || !connectionId || !imp.checkpoint) throw new Error('import state without its format');

    // One writer per connection at a time, as syncs hold theirs: the feed's cursors stay in
    // commit order, and a full import can't delete rows another import is writing.
    connectionLease = `csv:${connectionId}`;
    if (!(await acquireLease(tenantId, connectionLease, worker, budget.remainingMs()))) {
      connectionLease = undefined;
      await updateImport(tenantId, importId, { status: 'queued' }, { worker });
      return { kind: 'retry', delaySeconds: 30, reason: 'another import writes to this connection' };
    }

    // Presets are code, not stored: the format names the one it was recognised as.
    const preset = PRESETS.find((p) => p.source === format.source);
    const resolved: ResolvedMapping = {
      source: format.source,
      mapping: format.mapping,
      ...(preset ? { preset } : {}),
    };
    const mapRow = rowMapper(format.header, resolved);
    const pk = recordsPk(tenantId, connectionId, MODEL);
    const full = imp.mode === 'full';
    let errorsKept = imp.errors.length;
    let { offset, row } = imp.checkpoint;
    let lastWriteAt = 0;
    let stopped: 'budget' | 'fenced' | undefined;
    let fatal: ImportRowError | undefined;

    // The batch being filled; the writes of the ones before go on meanwhile.
    let batch = new Map<string, Record<string, unknown>>();
    let batchRows = 0;
    let batchFailed = 0;
    let batchFlagged = 0;
    let batchErrors: ImportRowError[] = [];
    // Every batch so far landed and counted (a chain in the file's order; never rejects).
    let writing: Promise<void> = Promise.resolve();
    // A failed write or save is held until the loop next waits for it (and rethrown there),
    // never left as an unhandled rejection while the next rows are parsed.
    let writeFailed: { error: unknown } | undefined;
    const counts = { added: 0, updated: 0, deleted: 0 };

    // The checkpoint: what the batches stored since the last save add to the import, saved
    // every CHECKPOINT_MS or CHECKPOINT_BYTES rather than after each batch (one write of
    // the import item, and its answer, per batch cost as much as a twelfth of the rows'
    // writes). Saves run one after another, never ahead of the rows they count, and beside
    // the next batch's writes; a crash replays the batches since the last save, which the
    // replay finds unchanged (the counters only move with a save).
    let unsaved: {
      offset: number;
      row: number;
      add: Record<'rows_imported' | 'rows_failed' | 'cells_flagged', number>;
      errors: ImportRowError[];
    } = { offset, row, add: { rows_imported: 0, rows_failed: 0, cells_flagged: 0 }, errors: [] };
    let savedOffset = offset;
    let savedAt = Date.now();
    let saving: Promise<void> = Promise.resolve();
    const save = () => {
      const s = unsaved;
      unsaved = {
        offset: s.offset,
        row: s.row,
        add: { rows_imported: 0, rows_failed: 0, cells_flagged: 0 },
        errors: [],
      };
      savedOffset = s.offset;
      savedAt = Date.now();
      saving = saving
        .then(async () => {
          if (stopped === 'fenced') return;
          const saved = await updateImport(
            tenantId,
            importId,
            { checkpoint: { offset: s.offset, row: s.row }, bytes_read: s.offset },
            { worker, add: s.add, ...(s.errors.length ? { appendErrors: s.errors } : {}) },
          );
          // Another invocation took the import over (our lease lapsed): stop writing.
          if (!saved) stopped = 'fenced';
        })
        .catch((error: unknown) => {
          writeFailed ??= { error };
        });
    };
    /** Every batch stored and counted in the import item. */
    const drained = async () => {
      await writing;
      // Only batches that landed are in `unsaved`: they are counted even if a later one failed.
      if (stopped !== 'fenced') save();
      await saving;
      if (writeFailed) throw writeFailed.error;
    };

    // The connection's first import writes into an empty partition: every record there is
    // one this invocation wrote (it holds the connection's lease), so only ids it may have
    // written already — a row repeating an earlier row's id — need reading back.
    const seen = (await hasRecords(pk)) ? undefined : seenIds();

    // Batches whose writes are in flight, oldest first (at most IN_FLIGHT): their ids, and
    // what each wrote once it has landed (undefined: it failed).
    const inFlight: { ids: Set<string>; landed: Promise<Map<string, Summary> | undefined> }[] = [];
    // A batch that failed: no later batch is counted, so no checkpoint passes it.
    let broken = false;
    const flush = async (endOffset: number, endRow: number) => {
      const records = [...batch].map(([id, data]) => ({ id, data }));
      const add = { rows_imported: batchRows, rows_failed: batchFailed, cells_flagged: batchFlagged };
      const keep = batchErrors.slice(0, Math.max(0, MAX_ERRORS - errorsKept));
      errorsKept += keep.length;
      batch = new Map();
      batchRows = 0;
      batchFailed = 0;
      batchFlagged = 0;
      batchErrors = [];
      // Batches in flight now may land before or after this batch's lookup reads: for a
      // record on one of them, what it wrote wins (as the sync engine does with its pages).
      const racing = inFlight.filter((b) => records.some((r) => b.ids.has(r.id)));
      // This batch's stored hashes are read while the batches before are still being written.
      const ids = seen ? records.map((r) => r.id).filter((id) => seen.mayHave(id)) : records.map((r) => r.id);
      if (seen) for (const r of records) seen.add(r.id);
      const lookup = ids.length ? held(lookupRecords(pk, ids)) : undefined;
      // The oldest batch lands before another one is written.
      while (inFlight.length >= IN_FLIGHT) await inFlight.shift()?.landed;
      if (writeFailed) throw writeFailed.error;
      if (stopped === 'fenced') return;
      const landed = (async () => {
        if (!records.length) return new Map<string, Summary>();
        const recent = new Map<string, Summary>();
        for (const b of racing) {
          const wrote = await b.landed;
          if (!wrote) throw new Error('an earlier batch of the import failed');
          for (const [id, summary] of wrote) recent.set(id, summary);
        }
        const { counts: c, written } = await applyPage({
          pk,
          runId: importId,
          sync: SYNC,
          full,
          records,
          deletedIds: [],
          existing: lookup ? await lookup() : new Map(),
          recent,
        });
        counts.added += c.added;
        counts.updated += c.updated;
        lastWriteAt = Date.now();
        return written;
      })().catch((error: unknown) => {
        writeFailed ??= { error };
        return undefined;
      });
      inFlight.push({ ids: new Set(records.map((r) => r.id)), landed });
      // Counted in the file's order, whichever lands first.
      writing = writing.then(async () => {
        if (!(await landed) || broken) {
          broken = true;
          return;
        }
        unsaved.offset = endOffset;
        unsaved.row = endRow;
        unsaved.add.rows_imported += add.rows_imported;
        unsaved.add.rows_failed += add.rows_failed;
        unsaved.add.cells_flagged += add.cells_flagged;
        unsaved.errors.push(...keep);
        if (Date.now() - savedAt >= CHECKPOINT_MS || endOffset - savedOffset >= CHECKPOINT_BYTES) save();
      });
    };

    if (offset < size) {
      let source: Readable = await readImportObject(tenantId, importId, offset);
      if (format.encoding === 'utf16be') source = source.pipe(swap16());
      const base = offset;
      const baseRow = row;
      let skippedBefore = 0;
      const parser = source.pipe(
        parse({
          delimiter: format.delimiter,
          encoding: format.encoding === 'utf8' ? 'utf8' : 'utf16le',
          // Fields a row lacks or has too many fail that row alone (mapRow says so); stray
          // quotes inside a field are kept as text, as spreadsheets do.
          relax_column_count: true,
          relax_quotes: true,
          skip_empty_lines: true,
          max_record_size: MAX_ROW_BYTES,
          // A quote never closed at the end of the file: that last row fails alone.
          skip_records_with_error: true,
          on_skip: (err: CsvError | undefined) => {
            skippedBefore++;
            const r =
              baseRow + Number((err as { records?: number } | undefined)?.records ?? 0) + skippedBefore;
            batchFailed++;
            batchErrors.push({ row: r, message: err?.message ?? 'The row is not valid CSV.' });
          },
          info: true,
        }),
      );
      try {
        for await (const { record, info } of parser as AsyncIterable<{
          record: string[];
          info: { records: number; bytes: number };
        }>) {
          row = baseRow + info.records + skippedBefore;
          const mapped = mapRow(record, row);
          if (mapped.ok) {
            // The same id twice in a file: the later row wins, as a re-import would.
            batch.delete(mapped.id);
            batch.set(mapped.id, mapped.data);
            batchRows++;
            batchFlagged += mapped.formulaCells;
          } else {
            batchFailed++;
            batchErrors.push(mapped.error);
          }
          if (batchRows + batchFailed >= BATCH_ROWS || base + info.bytes - offset >= BATCH_BYTES) {
            offset = base + info.bytes;
            await flush(offset, row);
            if (stopped) break;
            if (budget.remainingMs() < safetyMs) {
              stopped = 'budget';
              break;
            }
          }
        }
      } catch (e) {
        const code = (e as CsvError).code;
        if (code !== 'CSV_MAX_RECORD_SIZE') {
          // The batch in flight lands (or fails), and is counted, before the leases go.
          await drained().catch(() => undefined);
          throw e;
        }
        // No way to tell where such a row ends: the import stops at it, with what came before.
        fatal = {
          row: row + 1,
          message: `The row is over ${MAX_ROW_BYTES / 1024} KB (an unclosed quote?); the import stopped there.`,
        };
      } finally {
        source.destroy();
      }
      if (!stopped) {
        // The rows after the last full batch; the offset is the end of the file (or of what
        // was read before a fatal row).
        offset = fatal ? offset : size;
        if (fatal) {
          batchFailed++;
          batchErrors.push(fatal);
        }
        await flush(offset, row);
      }
    }
    await drained();
    if (stopped === 'fenced') return { kind: 'done', status: 'duplicate' };
    if (stopped === 'budget') {
      await enqueueContinuation({ kind: 'continue', tenant_id: tenantId, import_id: importId });
      return { kind: 'continued' };
    }

    const current = await getImport(tenantId, importId);
    if (!current) return { kind: 'done', status: 'dropped' };
    const total = current.rows_imported + current.rows_failed;
    if (total === 0) {
      return finish(current, worker, {
        status: 'error',
        error: 'The file has a header row but no data rows.',
        rows_total: 0,
      });
    }
    // A full import deletes what the file no longer has — only if every row of it made it.
    const deleted =
      full && current.rows_failed === 0 && !fatal
        ? await deleteUnseen(pk, importId, current.started_at ?? new Date().toISOString(), SYNC)
        : 0;
    counts.deleted += deleted;
    if (deleted) lastWriteAt = Date.now();
    // `success` only once every row written is visible in GET /v1/records (which stops
    // SETTLE_MS short of now); an import ends once, so the wait is a few seconds per file.
    const wait = lastWriteAt + SETTLE_MS - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    await updateConnection(tenantId, connectionId, { last_synced_at: new Date().toISOString() });
    const status =
      current.rows_failed === 0 && !fatal ? 'success' : current.rows_imported > 0 ? 'partial' : 'error';
    const outcome = await finish(current, worker, {
      status,
      rows_total: total,
      ...(status === 'error' ? { error: fatal?.message ?? 'No row of the file could be imported.' } : {}),
      ...(fatal && status !== 'error' ? { error: fatal.message } : {}),
    });
    if (counts.added + counts.updated + counts.deleted > 0) {
      await emitRecordsChanged(
        tenantId,
        {
          connection_id: connectionId,
          sync: SYNC,
          model: MODEL,
          run_id: importId,
          source: 'import',
          records: counts,
        },
        { visible: true },
      );
    }
    return outcome;
  } catch (e) {
    if (!budget.lastAttempt) throw e;
    // The queue gives up on this message after this attempt: the import ends, said so.
    logger.error('import failed for good', {
      tenant_id: tenantId,
      import_id: importId,
      error: `${(e as Error).name}: ${String((e as Error).message).slice(0, 200)}`,
    });
    const current = await getImport(tenantId, importId);
    return current
      ? finish(current, undefined, {
          status: 'error',
          error: 'The import failed on our side; upload the file again.',
        })
      : { kind: 'done', status: 'error' };
  } finally {
    if (connectionLease) await releaseLease(tenantId, connectionLease, worker);
    await releaseLease(tenantId, leaseName, worker);
  }
};
