import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';
import { providerNames } from '../../adapters/manifests';
import { queues, secrets, tables } from '../../core/platform/resources';
import type { ToolView } from '../../core/tools/catalog';
import { routes } from '../../functions/routes';
import { workers } from '../../functions/workers';
import { entryFile, esbuildOptions, reachableOutputs } from '../../lib/bundling';
import { TOOLS_PATH, toolsCatalogModule } from '../../scripts/json-schemas';

/**
 * Handler cold-start benchmark: bundles every API handler and worker exactly as the CDK
 * deploys them (lib/bundling.ts: ESM split per dynamic import), next to the floor handler
 * (DESIGN.md, "Known traps"), and compares what one invocation loads, in bytes and in import
 * time, against that floor measured in the same run — absolute numbers vary by machine,
 * ratios against the floor do not (much).
 *
 * What one invocation loads, from the build's metafile: the entry and its static imports;
 * every lazy chunk of the SDK (it loads its credential providers on demand; counted as if all
 * were loaded, for the floor alike); and of the providers, the chunks of the largest one (a
 * handler runs or describes one connection's provider) — or, for the catalog handlers, which
 * list them all, every provider's (today one generated file each, no provider chunk). Our own lazy modules (core/, functions/: what only
 * some requests need, such as idempotency for a write with an Idempotency-Key) are reported
 * apart, as what those requests load on top. What is deployed (every chunk the entry can
 * reach) is reported beside it.
 *
 * Growth per provider: each function is built again with one provider (default the last
 * registered; `--without=<provider>`) cut out of the registries (code, manifests, descriptions,
 * configs) and the generated catalogs by an esbuild plugin, and the difference in what one
 * invocation loads is that provider's cost to the function.
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = join(repoRoot, '.bench/handlers');
const reportFile = join(repoRoot, '.bench/handlers.json');

const FLOOR_ENTRY = 'test/bench/fixtures/floor-handler.ts';

/**
 * Handlers whose one invocation reads every provider: the catalogs list them all
 * (core/providers/catalog.ts, core/tools/catalog.ts; one generated file each). Every other
 * handler reads at most one provider, the one of the connection or integration it serves.
 */
const LOADS_EVERY_MANIFEST = new Set(['list-providers', 'list-tools']);

/**
 * What a function does with providers, read from its build: `runs` reaches an
 * implementation chunk (adapters/index.ts), `describes` only description, manifest or config
 * chunks (adapters/descriptions.ts, adapters/manifests.ts, adapters/configs.ts), `catalog` lists
 * them all, `none` reaches neither.
 */
type Group = 'none' | 'describes' | 'catalog' | 'runs';

// Targets for API handlers, as multiples of the floor, and the growth one more provider may
// cause: its registry lines (< 0.2 KB) where a function loads one provider; the catalog
// necessarily grows by each provider's entry, reported. Workers are reported only: their cold starts
// are hidden behind a queue, not in front of a caller.
const TARGETS: Record<Group, { bundle: number; import: number; growthKB?: number }> = {
  none: { bundle: 1.3, import: 1.2, growthKB: 0.2 },
  describes: { bundle: 1.3, import: 1.2, growthKB: 0.2 },
  catalog: { bundle: 1.3, import: 1.2 },
  runs: { bundle: 1.5, import: 1.3, growthKB: 0.2 },
};
const IMPORT_RUNS = 15;
const KB = 1024;

type Kind = 'floor' | 'api' | 'worker';
type Entry = { name: string; kind: Kind; entry: string };
type Analysis = {
  group: Group;
  /** Outputs (metafile paths) one invocation loads, entry first. */
  loaded: string[];
  loadedBytes: number;
  /** The provider whose chunks are counted (the largest), or `the catalog` (every provider's entry). */
  provider: string | null;
  deployedBytes: number;
  staticBytes: number;
  /** Our own lazy chunks (`ownLazy`) beyond what is loaded: loaded by some invocations only. */
  somePathsBytes: number;
};
type Built = Entry & { dir: string; metafile: Metafile; analysis: Analysis };
type Row = {
  name: string;
  kind: Kind;
  group: Group | 'floor';
  entry: string;
  provider: string | null;
  bundleBytes: number;
  bundleRatio: number;
  deployedBytes: number;
  /** Loaded on some paths only (our own lazy chunks), beyond `bundleBytes`. */
  somePathsBytes: number;
  importP50Ms: number;
  /** The median, over the rounds, of its import time over the floor's timed just before. */
  importRatio: number;
  importRunsMs: number[];
  growthBytes: number;
  /** The files one invocation loads (entry first), as the metafile names them. */
  loaded: string[];
  /** Only for API handlers; workers have no target. */
  misses?: ('bundle' | 'import' | 'growth')[];
};

const entries = (): Entry[] => {
  const api = [...new Set(routes.map((r) => r.handler))];
  const all: Entry[] = [
    { name: 'floor', kind: 'floor', entry: FLOOR_ENTRY },
    ...api.map((entry): Entry => ({ name: basename(entry, '.ts'), kind: 'api', entry })),
    ...workers.map(({ entry }): Entry => ({ name: basename(entry, '.ts'), kind: 'worker', entry })),
  ];
  // Output directories are named after the module; fail loudly rather than let two share one.
  const seen = new Map<string, string>();
  for (const e of all) {
    const other = seen.get(e.name);
    if (other !== undefined) throw new Error(`two handlers bundle to ${e.name}/: ${other}, ${e.entry}`);
    seen.set(e.name, e.entry);
  }
  return all;
};

/**
 * A lazy chunk of this repository's code outside the provider registries — core/tools/idempotent.ts,
 * imported only by a write with an Idempotency-Key. The SDK's lazy chunks (credential providers)
 * are loaded by every invocation that calls AWS, so they count as loaded.
 */
const ownLazy = (entryPoint: string | undefined): boolean =>
  entryPoint !== undefined &&
  (/^(core|functions)\//.test(entryPoint) ||
    // A record model's generated JSON Schema (adapters/schemas.ts): loaded by a provider's
    // detail for the models its syncs write, not by every invocation.
    /^adapters\/model-schemas\//.test(entryPoint));

/**
 * The provider folder a dynamic chunk is the entry of, and which registry imports it: its
 * code (adapters/index.ts), its account (adapters/accounts.ts: verify, OAuth, revoke, webhook
 * connection keys — provider code too), its toolset (adapters/toolsets.ts: its actions on its
 * account), its manifest (adapters/manifests.ts), its generated description
 * (adapters/descriptions.ts) or its config schema (adapters/configs.ts), each a chunk of its own.
 */
const providerChunk = (entryPoint: string | undefined): { folder: string; part: string } | undefined => {
  const m =
    entryPoint === undefined
      ? null
      : /^adapters\/([^/]+)\/(index\.ts|account\.ts|toolset\.ts|manifest\.ts|description\.generated\.json|config\.ts)$/.exec(
          entryPoint,
        );
  return m ? { folder: m[1] as string, part: (m[2] as string).split('.')[0] as string } : undefined;
};

const analyse = (name: string, metafile: Metafile, dir: string): Analysis => {
  const out = metafile.outputs;
  const bytesOf = (set: Iterable<string>) => {
    let n = 0;
    for (const o of set) if (o.endsWith('.mjs')) n += out[o]?.bytes ?? 0;
    return n;
  };
  const closure = (starts: string[], dynamic: boolean, into = new Set<string>()) => {
    const stack = [...starts];
    while (stack.length > 0) {
      const o = stack.pop() as string;
      if (into.has(o)) continue;
      into.add(o);
      for (const i of out[o]?.imports ?? []) {
        if (i.external || (!dynamic && i.kind === 'dynamic-import')) continue;
        stack.push(i.path);
      }
    }
    return into;
  };
  const entry = relative(repoRoot, entryFile(dir));
  const staticSet = closure([entry], false);
  // Lazy chunks that are not a provider's (the SDK's), followed to their own lazy imports.
  const always = new Set(staticSet);
  const providerTargets = new Map<string, { targets: string[]; parts: Set<string> }>();
  // Our own lazy modules (an `await import()` in core/ or functions/): loaded by the invocations
  // that take that path only, like a provider's chunks by those that serve it.
  const somePaths = new Set<string>();
  const pending = [...always];
  while (pending.length > 0) {
    const o = pending.pop() as string;
    for (const i of out[o]?.imports ?? []) {
      if (i.external || i.kind !== 'dynamic-import') continue;
      const p = providerChunk(out[i.path]?.entryPoint);
      if (p) {
        const t = providerTargets.get(p.folder) ?? { targets: [], parts: new Set() };
        t.targets.push(i.path);
        t.parts.add(p.part);
        providerTargets.set(p.folder, t);
      } else if (ownLazy(out[i.path]?.entryPoint)) {
        somePaths.add(i.path);
      } else if (!always.has(i.path)) {
        for (const added of closure([i.path], false)) {
          if (!always.has(added)) {
            always.add(added);
            pending.push(added);
          }
        }
      }
    }
  }
  // Each provider's chunks beyond what is loaded anyway (its manifest, its shared modules).
  const perProvider = [...providerTargets].map(([folder, t]) => {
    const own = [...closure(t.targets, true)].filter((o) => !always.has(o));
    return {
      folder,
      own,
      bytes: bytesOf(own),
      runs: ['index', 'account', 'toolset'].some((part) => t.parts.has(part)),
    };
  });
  const runs = perProvider.some((p) => p.runs);
  const catalog = LOADS_EVERY_MANIFEST.has(name);
  if (catalog && runs) throw new Error(`${name} is listed as a catalog handler but runs provider code`);
  const group: Group = catalog ? 'catalog' : runs ? 'runs' : perProvider.length > 0 ? 'describes' : 'none';
  const largest = perProvider.sort((a, b) => b.bytes - a.bytes)[0];
  const counted = catalog ? perProvider.flatMap((p) => p.own) : (largest?.own ?? []);
  const loaded = [entry, ...[...always].filter((o) => o !== entry), ...new Set(counted)].filter((o) =>
    o.endsWith('.mjs'),
  );
  const lazy = [...closure([...somePaths], true)].filter((o) => !always.has(o) && !loaded.includes(o));
  return {
    group,
    loaded,
    somePathsBytes: bytesOf(lazy),
    loadedBytes: bytesOf(new Set(loaded)),
    provider: catalog ? 'the catalog' : (largest?.folder ?? null),
    deployedBytes: bytesOf(reachableOutputs(metafile, dir, repoRoot)),
    staticBytes: bytesOf(staticSet),
  };
};

/**
 * One provider cut out of the registries (one line each) and out of the generated catalogs
 * (its entry, its tools): the build as if it had never been added.
 */
export const withoutProvider = (folder: string): Plugin => ({
  name: 'without-provider',
  setup(b) {
    const provider = folder.replaceAll('-', '_');
    b.onLoad({ filter: /[\\/]adapters[\\/]catalog\.generated\.json$/ }, async (args) => {
      const all = JSON.parse(await readFile(args.path, 'utf8')) as { name: string }[];
      const kept = all.filter((e) => e.name !== provider);
      if (kept.length !== all.length - 1) {
        throw new Error(
          `expected one entry of ${provider} in ${args.path}, found ${all.length - kept.length}`,
        );
      }
      return { contents: JSON.stringify(kept), loader: 'json' };
    });
    // GET /v1/tools reads the catalog's compressed copy: the same cut, compressed as npm run schemas does.
    b.onLoad({ filter: /[\\/]adapters[\\/]tools-catalog\.generated\.ts$/ }, async () => {
      const all = JSON.parse(await readFile(join(repoRoot, TOOLS_PATH), 'utf8')) as ToolView[];
      return { contents: toolsCatalogModule(all.filter((t) => t.provider !== provider)), loader: 'ts' };
    });
    b.onLoad(
      { filter: /[\\/]adapters[\\/](manifests|index|accounts|toolsets|descriptions|configs)\.ts$/ },
      async (args) => {
        const source = await readFile(args.path, 'utf8');
        const lines = source.split('\n');
        const kept = lines.filter(
          (l) =>
            !l.includes(`'./${folder}'`) &&
            !l.includes(`'./${folder}/account'`) &&
            !l.includes(`'./${folder}/toolset'`) &&
            !l.includes(`'./${folder}/manifest'`) &&
            !l.includes(`'./${folder}/description.generated.json'`) &&
            !l.includes(`'./${folder}/config'`),
        );
        if (kept.length !== lines.length - 1) {
          throw new Error(
            `expected one registry line of ${folder} in ${args.path}, found ${lines.length - kept.length}`,
          );
        }
        return { contents: kept.join('\n'), loader: 'ts' };
      },
    );
  },
});

/** lib/bundling.ts's options, as the CDK house construct builds each function. */
const bundle = async (e: Entry): Promise<Built> => {
  const dir = join(outDir, e.name);
  const result = await build(esbuildOptions(join(repoRoot, e.entry), dir, repoRoot));
  if (!result.metafile) throw new Error(`no metafile for ${e.name}`);
  return { ...e, dir, metafile: result.metafile, analysis: analyse(e.name, result.metafile, dir) };
};

/** What one invocation of `e` loads when `folder` is not registered (nothing is written). */
const bytesWithout = async (e: Entry, folder: string): Promise<number> => {
  const dir = join(outDir, e.name);
  const result = await build({
    ...esbuildOptions(join(repoRoot, e.entry), dir, repoRoot),
    write: false,
    plugins: [withoutProvider(folder)],
  });
  if (!result.metafile) throw new Error(`no metafile for ${e.name}`);
  return analyse(e.name, result.metafile, dir).loadedBytes;
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

/**
 * One fresh Node process importing the entry, then the lazy chunks one invocation loads, in
 * order; returns the time it measured itself.
 */
const timeImport = (files: string[], env: Record<string, string>): Promise<number> => {
  const urls = JSON.stringify(files.map((f) => pathToFileURL(f).href));
  const script = `const t = performance.now(); for (const u of ${urls}) await import(u); process.stdout.write(String(performance.now() - t));`;
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
      else fail(new Error(`importing ${files[0]} failed (exit ${code}):\n${err || out}`));
    });
  });
};

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** Bytes one invocation loads per npm package (or per top-level source folder for our own code). */
const bytesByPackage = (b: Built): Map<string, number> => {
  const sums = new Map<string, number>();
  for (const o of b.analysis.loaded) {
    for (const [path, { bytesInOutput }] of Object.entries(b.metafile.outputs[o]?.inputs ?? {})) {
      // The last node_modules segment names the package that really owns the file (nested installs).
      const i = path.lastIndexOf('node_modules/');
      let key: string;
      if (i >= 0) {
        const parts = path.slice(i + 'node_modules/'.length).split('/');
        key = parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
      } else key = `(repo) ${path.split('/')[0]}/`;
      sums.set(key, (sums.get(key) ?? 0) + bytesInOutput);
    }
  }
  return sums;
};

const kb = (bytes: number, digits = 1): string => (bytes / KB).toFixed(digits);
const x = (ratio: number): string => `${ratio.toFixed(2)}×`;

export const runHandlersBench = async (args: readonly string[]): Promise<void> => {
  const withoutArg = args.find((a) => a.startsWith('--without='))?.slice('--without='.length);
  const without = withoutArg ?? (providerNames.at(-1) as string);
  if (!(providerNames as readonly string[]).includes(without)) {
    throw new Error(`--without names no provider: ${without} (${providerNames.join(', ')})`);
  }
  const withoutFolder = without.replaceAll('_', '-');
  // --runs=N: fewer (or more) import rounds than the default, for a quick look.
  const runsArg = args.find((a) => a.startsWith('--runs='))?.slice('--runs='.length);
  // --runs=0: bundle sizes and growth only, no import timing.
  const importRuns = runsArg === undefined ? IMPORT_RUNS : Number(runsArg);
  if (!Number.isInteger(importRuns) || importRuns < 0) throw new Error(`--runs takes a count: ${runsArg}`);
  console.log(`node ${process.version} (${process.execPath})`);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });

  const all = entries();
  const built = await Promise.all(all.map(bundle));
  const lessOne = new Map(
    await Promise.all(all.map(async (e) => [e.name, await bytesWithout(e, withoutFolder)] as const)),
  );
  const env = importEnv();
  const files = (b: Built) => b.analysis.loaded.map((o) => resolve(repoRoot, o));
  const floor = built.find((b) => b.kind === 'floor');
  if (floor === undefined) throw new Error('floor handler missing');
  const runs = new Map<string, number[]>(built.map((b) => [b.name, []]));
  /** Each function's import time over the floor's just before it, one per round. */
  const pairedRatios = new Map<string, number[]>(built.map((b) => [b.name, []]));
  // One discarded round warms the page cache and the binary; then the rounds interleave the
  // bundles so a slow spell on the machine hits all of them alike, not one, and each import
  // is timed right after one of the floor's: a function's ratio is the median of those pairs,
  // so a spell that slows the machine for a few seconds moves both sides of a pair.
  if (importRuns > 0) for (const b of built) await timeImport(files(b), env);
  for (let i = 0; i < importRuns; i++) {
    for (const b of built) {
      if (b === floor) continue;
      const f = await timeImport(files(floor), env);
      const t = await timeImport(files(b), env);
      runs.get(floor.name)?.push(f);
      runs.get(b.name)?.push(t);
      pairedRatios.get(b.name)?.push(t / f);
    }
  }

  const floorBytes = floor.analysis.loadedBytes;
  const floorP50 = median(runs.get(floor.name) ?? []);
  const rows: Row[] = built.map((b) => {
    const importRunsMs = runs.get(b.name) ?? [];
    const importP50Ms = median(importRunsMs);
    const importRatio = b === floor ? 1 : median(pairedRatios.get(b.name) ?? []);
    const row: Row = {
      name: b.name,
      kind: b.kind,
      group: b.kind === 'floor' ? 'floor' : b.analysis.group,
      entry: b.entry,
      provider: b.analysis.provider,
      bundleBytes: b.analysis.loadedBytes,
      bundleRatio: b.analysis.loadedBytes / floorBytes,
      deployedBytes: b.analysis.deployedBytes,
      somePathsBytes: b.analysis.somePathsBytes,
      importP50Ms,
      importRatio,
      importRunsMs,
      growthBytes: b.analysis.loadedBytes - (lessOne.get(b.name) ?? b.analysis.loadedBytes),
      loaded: b.analysis.loaded,
    };
    if (b.kind === 'api') {
      const t = TARGETS[b.analysis.group];
      const misses: ('bundle' | 'import' | 'growth')[] = [];
      if (row.bundleRatio > t.bundle) misses.push('bundle');
      if (row.importRatio > t.import) misses.push('import');
      if (t.growthKB !== undefined && row.growthBytes / KB >= t.growthKB) misses.push('growth');
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
    '\nbundle: what one invocation loads (entry + static chunks + lazy SDK chunks + one provider, or every provider (its entry) for the catalog; our own lazy chunks apart, as +KB some paths), esbuild esm split, node24, minified, SDK bundled',
  );
  console.log(
    `import: p50 of ${importRuns} fresh processes importing those files; +KB/provider: what one invocation loads with ${without} registered minus without it`,
  );
  console.log('targets (API handlers, ×floor):');
  console.table(
    Object.entries(TARGETS).map(([group, t]) => ({
      group,
      bundle: `≤ ${x(t.bundle)}`,
      import: `≤ ${x(t.import)}`,
      '+KB/provider': t.growthKB === undefined ? 'reported' : `< ${t.growthKB}`,
    })),
  );
  console.table(
    rows.map((r) => ({
      function: r.name,
      group: r.kind === 'worker' ? `worker/${r.group}` : r.group,
      'provider counted': r.provider ?? '',
      'bundle KB': kb(r.bundleBytes),
      'bundle ×floor': x(r.bundleRatio),
      'deployed KB': kb(r.deployedBytes),
      '+KB some paths': kb(r.somePathsBytes),
      'import p50 ms': importRuns > 0 ? r.importP50Ms.toFixed(1) : '—',
      'import ×floor': importRuns > 0 ? x(r.importRatio) : '—',
      '+KB/provider': kb(r.growthBytes, 2),
      verdict: verdict(r),
    })),
  );

  const groups = (['none', 'describes', 'catalog', 'runs'] as const).map((g) => {
    const inGroup = rows.filter((r) => r.kind === 'api' && r.group === g);
    return {
      group: g,
      handlers: inGroup.length,
      'max bundle ×floor': inGroup.length ? x(Math.max(...inGroup.map((r) => r.bundleRatio))) : '',
      'max import ×floor':
        inGroup.length && importRuns > 0 ? x(Math.max(...inGroup.map((r) => r.importRatio))) : '—',
      'max +KB/provider': inGroup.length ? kb(Math.max(...inGroup.map((r) => r.growthBytes)), 2) : '',
      misses: inGroup.filter((r) => (r.misses?.length ?? 0) > 0).length,
    };
  });
  console.log('\nby group (API handlers)');
  console.table(groups);

  const missed = rows.filter((r) => r.misses !== undefined && r.misses.length > 0);
  console.log(
    missed.length === 0
      ? 'all API handlers within targets'
      : `${missed.length} API handler(s) miss targets: ${missed.map((r) => `${r.name} (${r.misses?.join('+')})`).join(', ')}`,
  );

  // Where the largest API handler of each group spends its bytes beyond what the floor carries.
  const floorPkgs = bytesByPackage(floor);
  const contributors: Record<
    string,
    { name: string; top: { package: string; bytes: number; beyondFloor: number }[] }
  > = {};
  for (const g of ['none', 'describes', 'catalog', 'runs'] as const) {
    const largest = built
      .filter((b) => b.kind === 'api' && b.analysis.group === g)
      .sort((a, b) => b.analysis.loadedBytes - a.analysis.loadedBytes)[0];
    if (largest === undefined) continue;
    const top = [...bytesByPackage(largest)]
      .map(([pkg, bytes]) => ({ package: pkg, bytes, beyondFloor: bytes - (floorPkgs.get(pkg) ?? 0) }))
      .sort((a, b) => b.beyondFloor - a.beyondFloor)
      .slice(0, 8);
    contributors[g] = { name: largest.name, top };
    console.log(`\nlargest '${g}' API handler: ${largest.name} — top inputs beyond the floor (KB it loads)`);
    console.table(
      top.map((c) => ({
        package: c.package,
        'KB loaded': kb(c.bytes),
        'KB in floor': kb(c.bytes - c.beyondFloor),
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
    importRuns,
    targets: TARGETS,
    growthMeasuredWithout: without,
    floor: { bundleBytes: floorBytes, importP50Ms: floorP50 },
    rows,
    groups,
    largestByGroup: contributors,
  };
  await writeFile(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${reportFile}`);
};
