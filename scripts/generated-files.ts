import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

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
