import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

/**
 * A generated module holding `body` brotli-compressed at best quality, in base64, under
 * `name`: what a handler serves or reads whole loads as a short string and is decompressed
 * once per container (node:zlib, not bundled). Deterministic for one brotli version (the Node
 * of package.json's `node` dependency).
 */
export const brotliModule = (header: string, doc: string, name: string, body: string): string => {
  const bytes = Buffer.from(body);
  const compressed = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
  return [
    header,
    '',
    `/** ${doc} */`,
    `export const ${name} =\n  '${compressed.toString('base64')}';`,
    '',
  ].join('\n');
};

/**
 * Files generated from the code and committed (docs/openapi.json, the client's types, the
 * providers' JSON Schemas): writes those whose text changed, or with `--check` lists the
 * stale and missing ones and exits 1 — how `npm test` and CI catch a generator not re-run.
 */
export const writeOrCheck = async (root: string, files: Record<string, string>, command: string) => {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    const path = resolve(root, file);
    const current = await readFile(path, 'utf8').catch(() => undefined);
    if (current === text) continue;
    if (check) stale.push(file);
    else {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
      console.log(`wrote ${file}`);
    }
  }
  if (stale.length) {
    console.error(`stale or missing: ${stale.join(', ')} — run ${command}`);
    process.exit(1);
  }
};
