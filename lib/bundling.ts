import { rmSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { BuildOptions, Metafile } from 'esbuild';
import { routeKey, routes } from '../functions/routes';

/**
 * How every function is bundled, shared by the CDK house construct (which deploys it) and
 * the handler benchmark (which measures it), so the benchmark measures exactly what is
 * deployed.
 *
 * One ESM entry (`index.mjs`, handler `index.handler`) split by esbuild: every dynamic
 * `import()` is a chunk of its own and code shared between them is a shared chunk, so a
 * handler loads at cold start only its static graph, and a provider's code (adapters/index.ts,
 * adapters/manifests.ts import each provider on demand) only when an invocation needs that
 * provider. A single-file bundle, what NodejsFunction makes, would load every provider in
 * every handler that can reach one. Minified, linked source maps, the AWS SDK bundled and
 * tree-shaken rather than taken from the runtime (DESIGN.md, "Known traps").
 */
export const esbuildTarget = 'node24';

// ESM bundles that still contain CommonJS dependencies need a real `require`. Every chunk is a
// module of its own, so each declares its own.
export const esmRequireBanner =
  "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

/** The entry's file name without extension: Lambda's handler is `index.handler`. */
export const ENTRY_NAME = 'index';
export const LAMBDA_HANDLER = `${ENTRY_NAME}.handler`;

/**
 * The wrapper (lib/node-flags.sh) that puts a function's own Node flags on node's command
 * line, after the Lambda runtime's: copied beside the bundle of a function that has some.
 */
export const NODE_FLAGS_WRAPPER = 'node-flags.sh';

/**
 * How a function's node is started, as environment variables: stack traces through the
 * bundle's source maps (NODE_OPTIONS) and, when it has flags of its own, those flags
 * inserted on the command line by the wrapper. Not in NODE_OPTIONS: Lambda's runtime sizes
 * V8's heap on node's command line (from the function's memory), which node reads after
 * NODE_OPTIONS, so a heap flag there would not hold.
 */
export const nodeEnvironment = (nodeFlags: readonly string[] = []): Record<string, string> => ({
  NODE_OPTIONS: '--enable-source-maps',
  ...(nodeFlags.length
    ? {
        NODE_FLAGS: nodeFlags.join(' '),
        // The function's code is unpacked in /var/task (LAMBDA_TASK_ROOT).
        AWS_LAMBDA_EXEC_WRAPPER: `/var/task/${NODE_FLAGS_WRAPPER}`,
      }
    : {}),
});

/**
 * The rows of the route table `entry` serves, `[route key, auth kind]`, as the JSON string
 * functions/middleware/route-auth.ts reads: each API function carries its own rows instead of
 * bundling the whole table (an empty list for functions that serve no route).
 */
export const routeAuthDefine = (entry: string, absWorkingDir: string): string => {
  const handler = relative(absWorkingDir, entry).split(sep).join('/');
  const rows = routes.filter((r) => r.handler === handler).map((r) => [routeKey(r), r.auth]);
  return JSON.stringify(JSON.stringify(rows));
};

/** esbuild's options for one function: `entry` (absolute) bundled into `outdir`. */
export const esbuildOptions = (entry: string, outdir: string, absWorkingDir: string): BuildOptions => ({
  absWorkingDir,
  entryPoints: { [ENTRY_NAME]: entry },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  // Node builtins stay external by themselves on platform node; nothing else does.
  platform: 'node',
  target: esbuildTarget,
  minify: true,
  // Linked .map files beside each output (NODE_OPTIONS=--enable-source-maps reads them).
  sourcemap: true,
  mainFields: ['module', 'main'],
  banner: { js: esmRequireBanner },
  define: { __ROUTE_AUTH__: routeAuthDefine(entry, absWorkingDir) },
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  external: [],
  metafile: true,
  logLevel: 'warning',
});

/** The entry's output file. */
export const entryFile = (outdir: string): string => join(outdir, `${ENTRY_NAME}.mjs`);

/**
 * The outputs the entry can load, as the metafile names them (relative to the working
 * directory): its static imports, transitively, and what its dynamic imports reach. esbuild
 * emits a chunk for every `import()` it sees, even in code tree shaking then drops; nothing
 * can load those.
 */
export const reachableOutputs = (metafile: Metafile, outdir: string, absWorkingDir: string): Set<string> => {
  const seen = new Set<string>();
  const visit = (o: string) => {
    if (seen.has(o)) return;
    seen.add(o);
    for (const i of metafile.outputs[o]?.imports ?? []) if (!i.external) visit(i.path);
  };
  visit(relative(absWorkingDir, entryFile(outdir)));
  return seen;
};

/** Deletes the outputs (and their source maps) the entry can never load: they are not deployed. */
export const pruneUnreachable = (metafile: Metafile, outdir: string, absWorkingDir: string): void => {
  const keep = reachableOutputs(metafile, outdir, absWorkingDir);
  for (const o of Object.keys(metafile.outputs)) {
    if (keep.has(o.endsWith('.map') ? o.slice(0, -'.map'.length) : o)) continue;
    rmSync(resolve(absWorkingDir, o), { force: true });
  }
};
