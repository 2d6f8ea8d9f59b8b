/**
 * `npm run bench -- <name> [args…]`: one entry point for every benchmark. Benches are
 * loaded lazily so running one never pays for importing the others.
 */
type Bench = (args: readonly string[]) => Promise<void>;

// Exported so the file is a module (top-level await) and the list has one home.
export const benches: Record<string, Bench> = {
  capacity: async (args) => (await import('./capacity')).runCapacityBench(args),
  handlers: async (args) => (await import('./handlers')).runHandlersBench(args),
  import: async (args) => (await import('./import')).runImportBench(args),
  scheduler: async (args) => (await import('./scheduler')).runSchedulerBench(args),
  sync: async (args) => (await import('./sync')).runSyncBench(args),
  webhooks: async (args) => (await import('./webhooks')).runWebhooksBench(args),
};

const [name, ...args] = process.argv.slice(2);
const bench = name === undefined ? undefined : benches[name];
if (bench === undefined) {
  const problem = name === undefined ? 'usage: npm run bench -- <name>' : `unknown bench "${name}"`;
  console.error(`${problem}\nknown benches: ${Object.keys(benches).join(', ')}`);
  process.exitCode = 2;
} else {
  await bench(args);
}
