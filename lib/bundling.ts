/**
 * esbuild settings for every function, shared by the CDK house construct and the
 * handler benchmark so the benchmark measures exactly what is deployed.
 */
export const esbuildTarget = 'node24';

// ESM bundles that still contain CommonJS dependencies need a real `require`.
export const esmRequireBanner =
  "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

export const bundlingDefaults = {
  format: 'esm',
  minify: true,
  sourceMap: true,
  target: esbuildTarget,
  mainFields: ['module', 'main'],
  banner: esmRequireBanner,
  // Bundle and tree-shake the AWS SDK instead of using the runtime's copy (DESIGN.md traps).
  externalModules: [] as string[],
} as const;

/**
 * Node flags of the sync worker. A long run allocates at a steady rate, and V8 then grows
 * its young generation to the cap it derives from the host's memory: RSS climbs by ~80 MB
 * that is never live data (the live heap stays ~16 MB). A 16 MB semi-space keeps peak RSS
 * flat in record count at no cost in throughput (`npm run bench -- sync` runs the worker
 * with these flags, as deployed).
 */
export const syncWorkerNodeFlags = ['--max-semi-space-size=16'] as const;
