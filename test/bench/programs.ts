import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { entryFile, esbuildOptions, NODE_FLAGS_WRAPPER, nodeEnvironment } from '../../lib/bundling';

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

/**
 * How Lambda's Node.js runtime starts a function of `memoryMb` with `nodeFlags` of its own:
 * its bootstrap sizes V8's heap from the function's memory on node's command line (young
 * generation a tenth: `--max-semi-space-size=<memory/20>`, `--max-old-space-size=<the other
 * nine tenths>`; V8 rounds a semi-space up to a power of two, so 51 MB at 1,024 MB is 64),
 * and the function's environment (lib/bundling.ts, nodeEnvironment) has it run node through
 * lib/node-flags.sh, which puts the function's flags after the runtime's.
 */
export const asDeployed = (
  memoryMb: number,
  nodeFlags: readonly string[] = [],
): { wrapper?: string; args: string[]; env: Record<string, string> } => {
  const newSpace = Math.floor(memoryMb / 10);
  const { AWS_LAMBDA_EXEC_WRAPPER: wrapper, ...env } = nodeEnvironment(nodeFlags);
  return {
    ...(wrapper
      ? { wrapper: fileURLToPath(new URL(`../../lib/${NODE_FLAGS_WRAPPER}`, import.meta.url)) }
      : {}),
    args: [
      `--max-semi-space-size=${Math.floor(newSpace / 2)}`,
      `--max-old-space-size=${memoryMb - newSpace}`,
    ],
    env,
  };
};

/**
 * Runs a bundled child with exactly `env` in `cwd` (through `wrapper`, a script given node's
 * command line, if any); resolves the JSON of its last stdout line.
 */
export const runChild = <T>(
  file: string,
  env: Record<string, string>,
  cwd: string,
  nodeFlags: readonly string[] = [],
  wrapper?: string,
): Promise<T> =>
  new Promise((ok, fail) => {
    const node = [process.execPath, ...nodeFlags, file];
    const child = spawn(wrapper ? 'sh' : (node[0] as string), wrapper ? [wrapper, ...node] : node.slice(1), {
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
