import { parse } from 'csv-parse/sync';
import type { ImportFormat } from '../store/imports-repo';

/**
 * What a file is, from its first bytes: its encoding (a BOM, else UTF-16 told by its zero
 * bytes, else UTF-8), its delimiter (`,` `;` or tab: the one that splits the first rows
 * into the same number of fields), its header row and where the data starts. Refuses what
 * is no CSV at all — empty, binary, a "header" longer than any export's — with a sentence.
 */
export const HEAD_BYTES = 64 * 1024;

export type Sniffed = Pick<ImportFormat, 'encoding' | 'delimiter' | 'header' | 'dataOffset'>;

/** UTF-16BE → UTF-16LE, in place (Node decodes only the latter); an odd trailing byte is left. */
export const swapBytes = (buf: Buffer): Buffer => {
  const even = buf.length - (buf.length % 2);
  const out = Buffer.from(buf);
  out.subarray(0, even).swap16();
  return out;
};

const encodingOf = (head: Buffer): { encoding: ImportFormat['encoding']; bom: number } => {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf8', bom: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', bom: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf16be', bom: 2 };
  // No BOM: ASCII text in UTF-16 has a zero in every other byte.
  const n = Math.min(head.length, 4096) & ~1;
  let zeroOdd = 0;
  let zeroEven = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) zeroEven++;
    if (head[i + 1] === 0) zeroOdd++;
  }
  const pairs = n / 2;
  if (pairs >= 2 && zeroOdd / pairs > 0.4 && zeroEven / pairs < 0.05) return { encoding: 'utf16le', bom: 0 };
  if (pairs >= 2 && zeroEven / pairs > 0.4 && zeroOdd / pairs < 0.05) return { encoding: 'utf16be', bom: 0 };
  return { encoding: 'utf8', bom: 0 };
};

export class NotCsv extends Error {}

const DELIMITERS = [',', ';', '\t'] as const;

/**
 * `head`: the file's first bytes (up to HEAD_BYTES); `complete`: they are the whole file.
 * Throws NotCsv with the reason for the import's `error`.
 */
export const sniff = (head: Buffer, complete: boolean): Sniffed => {
  if (head.length === 0) throw new NotCsv('The file is empty.');
  const { encoding, bom } = encodingOf(head);
  const body = encoding === 'utf16be' ? swapBytes(head.subarray(bom)) : head.subarray(bom);
  let text: string;
  if (encoding === 'utf8') {
    try {
      // `stream`: a character cut at the end of the head is not an error.
      text = new TextDecoder('utf-8', { fatal: true }).decode(body, { stream: !complete });
    } catch {
      throw new NotCsv(
        looksBinary(body)
          ? 'This is not a CSV file: it holds binary data.'
          : 'The file is neither UTF-8 nor UTF-16. Save it as "CSV UTF-8" and upload it again.',
      );
    }
  } else {
    text = body.toString('utf16le');
  }
  if (looksBinary(Buffer.from(text))) throw new NotCsv('This is not a CSV file: it holds binary data.');
  if (text.trim() === '') throw new NotCsv('The file is empty.');
  // Exports saved in the wrong format: say which, rather than "not valid CSV".
  const start = text.trimStart();
  if (/^[[{]/.test(start) && /^[[{]\s*["{[\]}]/.test(start)) {
    throw new NotCsv('This is JSON, not CSV: export the data as CSV (or flatten it, e.g. with jq @csv).');
  }
  if (/^<(\?xml|!doctype|html)/i.test(start))
    throw new NotCsv('This is XML or HTML, not CSV: export the data as CSV.');

  const firstBreak = text.search(/[\r\n]/);
  if (firstBreak === -1 && !complete) {
    throw new NotCsv(
      `The first line is over ${HEAD_BYTES / 1024} KB with no line break: this is not a CSV export's header.`,
    );
  }
  // The delimiter that splits the first rows most consistently into more than one field.
  let best: { delimiter: (typeof DELIMITERS)[number]; score: number; fields: number } | undefined;
  for (const delimiter of DELIMITERS) {
    let rows: string[][];
    try {
      rows = parse(text, {
        delimiter,
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
        to: 20,
      }) as string[][];
    } catch {
      continue;
    }
    // The last row of a cut head may be partial: judge by the others.
    const sample = complete ? rows : rows.slice(0, -1);
    const fields = rows[0]?.length ?? 0;
    if (fields < 2) continue;
    const same = sample.filter((r) => r.length === fields).length;
    const score = (sample.length ? same / sample.length : 1) * 1000 + fields;
    if (!best || score > best.score) best = { delimiter, score, fields };
  }
  const delimiter = best?.delimiter ?? ',';
  // The header row and where it ends, in bytes of the file as stored.
  let header: string[] | undefined;
  let end = 0;
  try {
    const records = parse(body, {
      delimiter,
      encoding: encoding === 'utf8' ? 'utf8' : 'utf16le',
      relax_column_count: true,
      skip_empty_lines: true,
      to: 1,
      info: true,
    }) as unknown as { record: string[]; info: { bytes: number } }[];
    header = records[0]?.record;
    end = records[0]?.info.bytes ?? 0;
  } catch {
    throw new NotCsv('The header row is not valid CSV (an unclosed quote?).');
  }
  if (!header || header.every((h) => h.trim() === '')) throw new NotCsv('The file has no header row.');
  if (!complete && end >= body.length) {
    throw new NotCsv(`The header row is over ${HEAD_BYTES / 1024} KB: this is not a CSV export's header.`);
  }
  return {
    encoding,
    delimiter,
    header: header.map((h, i) => h.trim() || `Column ${i + 1}`),
    dataOffset: bom + end,
  };
};

/** Binary, not text: NUL bytes, or control characters a text file doesn't hold. */
const looksBinary = (buf: Buffer): boolean => {
  const n = Math.min(buf.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = buf[i] as number;
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return n > 0 && control / n > 0.01;
};
