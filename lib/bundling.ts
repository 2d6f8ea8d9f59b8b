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
