import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { clientTypes } from '../client/generate';
import { buildDocument, documentText, loadRoutes } from '../functions/openapi/document';
import { renderMarkdown } from '../functions/openapi/markdown';

/**
 * `npm run openapi`: writes what is generated from the code — docs/openapi.json (the
 * contract), docs/api.md (its reference) and client/schema.d.ts (the typed client's types).
 * `npm run openapi -- --check` writes nothing and fails when any of them is stale, as
 * test/unit/openapi.test.ts does.
 */
const root = resolve(import.meta.dirname, '..');

export const generated = async (): Promise<Record<string, string>> => {
  const doc = buildDocument(await loadRoutes());
  return {
    'docs/openapi.json': documentText(doc),
    'docs/api.md': renderMarkdown(doc),
    'client/schema.d.ts': await clientTypes(doc),
  };
};

const main = async () => {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const [file, text] of Object.entries(await generated())) {
    const path = resolve(root, file);
    const current = await readFile(path, 'utf8').catch(() => undefined);
    if (current === text) continue;
    if (check) stale.push(file);
    else {
      await writeFile(path, text);
      console.log(`wrote ${file}`);
    }
  }
  if (stale.length) {
    console.error(`stale: ${stale.join(', ')} — run npm run openapi`);
    process.exit(1);
  }
};

if (import.meta.url === `file://${process.argv[1]}`) await main();
