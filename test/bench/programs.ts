import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { entryFile, esbuildOptions } from '../../lib/bundling';

/**
 * What the sync and import benches share: their child programs bundled as the deployed
 * functions are (lib/bundling.ts: ESM split into an entry and its chunks, one folder each),
 * run in processes of their own, and `--sizes=` read from the command line.
 */
export const bundlePrograms = async <K extends string>(
  entries: Record<K, string>,
  outDir: string,
  repoRoot: string,
): Promise<Record<K, string>> => {
  const out = {} as Record<K, string>;
  for (const [name, entry] of Object.entries(entries) as [K, string][]) {
    const dir = join(outDir, basename(entry, '.ts'));
    await rm(dir, { recursive: true, force: true });
    await build(esbuildOptions(join(repoRoot, entry), dir, repoRoot));
    out[name] = entryFile(dir);
  }
  return out;
};

/** Runs a bundled child with exactly `env` in `cwd`; resolves the JSON of its last stdout line. */
export const runChild = <T>(
  file: string,
  env: Record<string, string>,
  cwd: string,
  nodeFlags: readonly string[] = [],
): Promise<T> =>
  new Promise((ok, fail) => {
    const child = spawn(process.execPath, [...nodeFlags, file], {
      env,
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      process.stderr.write(d);
    });
    child.on('error', fail);
    child.on('close', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        ok(JSON.parse(last) as T);
      } catch (e) {
        fail(new Error(`${basename(file)} failed (${(e as Error).message}):\n${err || out}`));
      }
    });
  });

/** `--sizes=10000,100_000` → [10000, 100000]; `defaults` without the flag. */
export const parseSizes = (args: readonly string[], defaults: number[]): number[] => {
  const arg = args.find((a) => a.startsWith('--sizes='));
  if (arg === undefined) return defaults;
  const sizes = arg
    .slice('--sizes='.length)
    .split(',')
    .map((s) => Number(s.replaceAll('_', '')));
  if (sizes.length === 0 || !sizes.every((n) => Number.isInteger(n) && n > 0)) {
    throw new Error(`--sizes takes positive integers, comma-separated: ${arg}`);
  }
  return sizes;
};
