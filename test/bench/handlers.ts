import { spawn } from 'node:child_process';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { queues, secrets, tables } from '../../core/platform/resources';
import { routes } from '../../functions/routes';
import { workers } from '../../functions/workers';
import { bundlingDefaults } from '../../lib/bundling';

/**
 * Handler cold-start benchmark: bundles every API handler and worker exactly as the CDK
 * deploys them, next to the floor handler (DESIGN.md, "Known traps"), and compares bundle
 * size and import time against that floor measured in the same run — absolute numbers
 * vary by machine, ratios against the floor do not (much).
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = join(repoRoot, '.bench/handlers');
const reportFile = join(repoRoot, '.bench/handlers.json');

const FLOOR_ENTRY = 'test/bench/fixtures/floor-handler.ts';

// Targets for API handlers, as multiples of the floor. Workers are reported only: their
// cold starts are hidden behind a queue, not in front of a caller.
const TARGETS = { bundle: 1.25, import: 1.2 } as const;
const IMPORT_RUNS = 15;
const KB = 1024;

type Kind = 'floor' | 'api' | 'worker';
type Entry = { name: string; kind: Kind; entry: string };
type Built = Entry & { outfile: string; bytes: number; metafile: Metafile };
type Row = {
  name: string;
  kind: Kind;
  entry: string;
  bundleBytes: number;
  bundleRatio: number;
  importP50Ms: number;
  importRatio: number;
  importRunsMs: number[];
  /** Only for API handlers; workers have no target. */
  misses?: ('bundle' | 'import')[];
};

const entries = (): Entry[] => {
  const api = [...new Set(routes.map((r) => r.handler))];
  const all: Entry[] = [
    { name: 'floor', kind: 'floor', entry: FLOOR_ENTRY },
    ...api.map((entry): Entry => ({ name: basename(entry, '.ts'), kind: 'api', entry })),
    ...workers.map(({ entry }): Entry => ({ name: basename(entry, '.ts'), kind: 'worker', entry })),
  ];
  // Output files are named after the module; fail loudly rather than let two overwrite each other.
  const seen = new Map<string, string>();
  for (const e of all) {
    const other = seen.get(e.name);
    if (other !== undefined) throw new Error(`two handlers bundle to ${e.name}.mjs: ${other}, ${e.entry}`);
    seen.set(e.name, e.entry);
  }
  return all;
};

/** lib/bundling.ts mapped onto esbuild's options, as NodejsFunction does. */
const bundle = async (e: Entry): Promise<Built> => {
  const outfile = join(outDir, `${e.name}.mjs`);
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: [join(repoRoot, e.entry)],
    outfile,
    bundle: true,
    // Node builtins stay external by themselves on platform node; nothing else does.
    platform: 'node',
    format: bundlingDefaults.format,
    minify: bundlingDefaults.minify,
    // NodejsFunction's default source map mode: a linked .map file beside the bundle.
    sourcemap: bundlingDefaults.sourceMap,
    target: bundlingDefaults.target,
    mainFields: [...bundlingDefaults.mainFields],
    banner: { js: bundlingDefaults.banner },
    external: [...bundlingDefaults.externalModules],
    metafile: true,
    logLevel: 'warning',
  });
  // The .mjs only: the .map is deployed too but never loaded without --enable-source-maps.
  const { size } = await stat(outfile);
  return { ...e, outfile, bytes: size, metafile: result.metafile };
};

/** What a Lambda's configuration would hand the modules, with dummy values: nothing reads them for real at import. */
const importEnv = (): Record<string, string> => {
  const env: Record<string, string> = {
    // A clean environment, not ours: no NODE_OPTIONS (tsx loaders) or credentials leak into the measurement.
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'us-east-1',
    WEBHOOK_BASE_URL: 'https://bench.invalid/webhooks',
  };
  for (const t of Object.values(tables)) env[t.env] = `bench-${t.id}`;
  for (const q of Object.values(queues))
    env[q.env] = `https://sqs.us-east-1.amazonaws.com/000000000000/bench-${q.id}`;
  for (const s of Object.values(secrets)) env[s.env] = `bench/${s.name}`;
  return env;
};

/** One fresh Node process importing the bundle; returns the import time it measured itself. */
const timeImport = (file: string, env: Record<string, string>): Promise<number> => {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env, cwd: outDir });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', fail);
    child.on('close', (code) => {
      const ms = Number(out);
      if (code === 0 && Number.isFinite(ms)) ok(ms);
      else fail(new Error(`importing ${file} failed (exit ${code}):\n${err || out}`));
    });
  });
};

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** Bytes in the output per npm package (or per top-level source folder for our own code). */
const bytesByPackage = (b: Built): Map<string, number> => {
  const out = b.metafile.outputs[Object.keys(b.metafile.outputs).find((k) => k.endsWith('.mjs')) ?? ''];
  const sums = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(out?.inputs ?? {})) {
    // The last node_modules segment names the package that really owns the file (nested installs).
    const i = path.lastIndexOf('node_modules/');
    let key: string;
    if (i >= 0) {
      const parts = path.slice(i + 'node_modules/'.length).split('/');
      key = parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
    } else key = `(repo) ${path.split('/')[0]}/`;
    sums.set(key, (sums.get(key) ?? 0) + bytesInOutput);
  }
  return sums;
};

const kb = (bytes: number): string => (bytes / KB).toFixed(1);
const x = (ratio: number): string => `${ratio.toFixed(2)}×`;

export const runHandlersBench = async (_args: readonly string[]): Promise<void> => {
  console.log(`node ${process.version} (${process.execPath})`);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });

  const built = await Promise.all(entries().map(bundle));
  const env = importEnv();
  const runs = new Map<string, number[]>(built.map((b) => [b.name, []]));
  // One discarded round warms the page cache and the binary; then the rounds interleave the
  // bundles so a slow spell on the machine hits all of them alike, not one.
  for (const b of built) await timeImport(b.outfile, env);
  for (let i = 0; i < IMPORT_RUNS; i++) {
    for (const b of built) runs.get(b.name)?.push(await timeImport(b.outfile, env));
  }

  const floor = built.find((b) => b.kind === 'floor');
  if (floor === undefined) throw new Error('floor handler missing');
  const floorP50 = median(runs.get(floor.name) ?? []);
  const rows: Row[] = built.map((b) => {
    const importRunsMs = runs.get(b.name) ?? [];
    const importP50Ms = median(importRunsMs);
    const row: Row = {
      name: b.name,
      kind: b.kind,
      entry: b.entry,
      bundleBytes: b.bytes,
      bundleRatio: b.bytes / floor.bytes,
      importP50Ms,
      importRatio: importP50Ms / floorP50,
      importRunsMs,
    };
    if (b.kind === 'api') {
      const misses: ('bundle' | 'import')[] = [];
      if (row.bundleRatio > TARGETS.bundle) misses.push('bundle');
      if (row.importRatio > TARGETS.import) misses.push('import');
      row.misses = misses;
    }
    return row;
  });

  const verdict = (r: Row): string =>
    r.misses === undefined
      ? r.kind === 'floor'
        ? 'floor'
        : 'worker (no target)'
      : r.misses.length === 0
        ? 'ok'
        : `MISS ${r.misses.join('+')}`;
  console.log(
    `\nbundle: esbuild ${bundlingDefaults.format} ${bundlingDefaults.target}, minified, SDK bundled; import: p50 of ${IMPORT_RUNS} fresh processes`,
  );
  console.log(
    `targets (API handlers): bundle ≤ ${x(TARGETS.bundle)} floor, import ≤ ${x(TARGETS.import)} floor\n`,
  );
  console.table(
    rows.map((r) => ({
      function: r.name,
      kind: r.kind,
      'bundle KB': kb(r.bundleBytes),
      'bundle ×floor': x(r.bundleRatio),
      'import p50 ms': r.importP50Ms.toFixed(1),
      'import ×floor': x(r.importRatio),
      verdict: verdict(r),
    })),
  );

  const missed = rows.filter((r) => r.misses !== undefined && r.misses.length > 0);
  console.log(
    missed.length === 0
      ? 'all API handlers within targets'
      : `${missed.length} API handler(s) miss targets: ${missed.map((r) => `${r.name} (${r.misses?.join('+')})`).join(', ')}`,
  );

  // Where the largest API handler's bytes go beyond what the floor already carries.
  const largest = built.filter((b) => b.kind === 'api').sort((a, b) => b.bytes - a.bytes)[0];
  let contributors: { package: string; bytes: number; floorBytes: number; beyondFloor: number }[] = [];
  if (largest !== undefined) {
    const floorPkgs = bytesByPackage(floor);
    contributors = [...bytesByPackage(largest)]
      .map(([pkg, bytes]) => ({
        package: pkg,
        bytes,
        floorBytes: floorPkgs.get(pkg) ?? 0,
        beyondFloor: bytes - (floorPkgs.get(pkg) ?? 0),
      }))
      .sort((a, b) => b.beyondFloor - a.beyondFloor)
      .slice(0, 10);
    console.log(`\nlargest API handler: ${largest.name} — top inputs beyond the floor (bytes in output)`);
    console.table(
      contributors.map((c) => ({
        package: c.package,
        'KB in bundle': kb(c.bytes),
        'KB in floor': kb(c.floorBytes),
        'KB beyond floor': kb(c.beyondFloor),
      })),
    );
  }

  // Metafiles kept for esbuild's analyzer (https://esbuild.github.io/analyze/).
  await Promise.all(
    built.map((b) => writeFile(join(outDir, `${b.name}.meta.json`), JSON.stringify(b.metafile))),
  );
  const report = {
    at: new Date().toISOString(),
    node: process.version,
    importRuns: IMPORT_RUNS,
    targets: TARGETS,
    floor: { bundleBytes: floor.bytes, importP50Ms: floorP50 },
    rows,
    largestApiHandler: largest === undefined ? null : { name: largest.name, contributors },
  };
  await writeFile(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${reportFile}`);
};
