import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/**
 * The dependency rules of docs/architecture.md, as a check over every import of the tree.
 * Pure over a map of `path → source`, so a test can plant a violation and watch it fail.
 * Imports are read with a regular expression: static `import`/`export … from`, `import '…'`
 * and dynamic `import('…')`. Type-only imports count for the layering rules (a type is still
 * a dependency on a layer's vocabulary) but not for cycles (they vanish from the bundle).
 */
export type Import = { from: string; spec: string; target: string; typeOnly: boolean };
export type Violation = { rule: string; file: string; detail: string };

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s+(type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Relative specifiers resolved to a repository path; packages kept as their name. */
const resolveSpec = (from: string, spec: string, exists: (p: string) => boolean): string => {
  if (!spec.startsWith('.')) return spec;
  const base = normalize(join(dirname(from), spec));
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    if (exists(candidate)) return candidate;
  }
  return base;
};

export const importsOf = (file: string, source: string, exists: (p: string) => boolean): Import[] => {
  const out: Import[] = [];
  // Comments may quote imports; strip them (well enough for this tree: no `/*` in strings).
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  for (const m of code.matchAll(IMPORT)) {
    const spec = (m[2] ?? m[3]) as string;
    out.push({ from: file, spec, target: resolveSpec(file, spec, exists), typeOnly: Boolean(m[1]) });
  }
  return out;
};

const under = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);
const isPackage = (target: string, name: string) => target === name || target.startsWith(`${name}/`);
const isTest = (p: string) => under(p, 'test');

/** The OpenAPI contract: response shapes and the generator (functions/openapi/contract.ts). */
const isContract = (p: string) => under(p, 'functions/openapi') || under(p, 'functions/http/responses');

/** Provider folders: `adapters/<name>/…` (shared adapter modules sit directly in adapters/). */
const providerFolder = (p: string): string | undefined => /^adapters\/([^/]+)\//.exec(p)?.[1];

/** Key prefixes of core/store/README.md (`TENANT#`, `CONN#`, `WH#` …) in a string or template. */
const KEY_LITERAL = /['"`][^'"`\n]*\b[A-Z][A-Z_]{1,}#/;

// Code that may talk to DynamoDB's data plane: the repositories, and the platform that
// builds the client and probes tables (DescribeTable) for readiness.
const DYNAMO_PACKAGES = [
  '@aws-sdk/lib-dynamodb',
  '@aws-sdk/client-dynamodb',
  '@aws-lambda-powertools/idempotency/dynamodb',
];

// Modules that open connections. Adapters reach the network only through the client in
// their context (ctx.http); in core, only the two guarded senders may open sockets: the
// provider client and the outbound-webhook sender (both pinned by the address guard).
const NETWORK_MODULES = [
  'http',
  'https',
  'http2',
  'net',
  'tls',
  'dgram',
  'undici',
  'axios',
  'node-fetch',
  'got',
  'ky',
];
const isNetworkModule = (t: string) =>
  NETWORK_MODULES.some((m) => isPackage(t, m) || isPackage(t, `node:${m}`));
const GUARDED_SENDERS = ['core/platform/provider-http.ts', 'core/outbound/deliver.ts'];
// node:net's isIP and BlockList open nothing: the guard and the subscriber URL check use them.
const ADDRESS_CHECKERS = ['core/platform/address-guard.ts', 'core/outbound/subscriber-url.ts'];
// Globals that open connections, used as calls outside comments.
const NETWORK_GLOBAL = /(?<![\w.])(?:fetch\s*\(|new\s+(?:WebSocket|EventSource|XMLHttpRequest)\b)/;

// What CDK code may read of the runtime: the tables of routes and workers, and resources.
const LIB_MAY_READ = ['functions/routes.ts', 'functions/workers.ts', 'core/platform/resources.ts'];
// The worker table names its messages' schemas; lib/ reads it, so a schema module it imports
// may import zod and nothing else (no SDK client, no store, no adapter rides into CDK code).
const TABLES = ['functions/routes.ts', 'functions/workers.ts'];
const isZod = (t: string) => isPackage(t, 'zod');

// A provider's webhook connection keys (`connectionKeys`: who a connection is, as routing
// keys) sit in `adapters/<p>/webhook-keys.ts` so the handlers that connect an account load
// them without the provider's payload schemas, mappings and record models. They may read the
// adapter types (as types: a value import would keep the module in the bundle), the routing
// keys, node builtins, and another provider's keys where two providers share them.
const isWebhookKeys = (p: string) => /^adapters\/[^/]+\/webhook-keys\.ts$/.test(p);
const webhookKeysMayRead = (imp: Import) =>
  imp.target.startsWith('node:') ||
  imp.target === 'adapters/webhook-routing.ts' ||
  (imp.target === 'adapters/types.ts' && imp.typeOnly) ||
  isWebhookKeys(imp.target);

export const checkImports = (sources: ReadonlyMap<string, string>): Violation[] => {
  const exists = (p: string) => sources.has(p);
  const violations: Violation[] = [];
  const flag = (rule: string, file: string, detail: string) => violations.push({ rule, file, detail });
  const graph = new Map<string, string[]>();

  for (const [file, source] of sources) {
    if (!file.endsWith('.ts')) continue;
    if (under(file, 'core') && /(^|\/)index\.ts$/.test(file)) {
      flag('no-barrels', file, 'core/ has no index.ts: a barrel would pull every module into every bundle');
    }
    if (!isTest(file) && !under(file, 'core/store') && KEY_LITERAL.test(source)) {
      const line = source.split('\n').find((l) => KEY_LITERAL.test(l) && !/^\s*(\/\/|\*|\/\*)/.test(l));
      if (line) flag('key-layout-in-store', file, `key prefix outside core/store: ${line.trim()}`);
    }
    if (!isTest(file) && (under(file, 'adapters') || under(file, 'core') || under(file, 'functions'))) {
      const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
      const line = code.split('\n').find((l) => NETWORK_GLOBAL.test(l));
      if (line) flag('network-through-guard', file, `opens a connection itself: ${line.trim()}`);
    }
    const edges: string[] = [];
    for (const imp of importsOf(file, source, exists)) {
      const t = imp.target;
      if (!imp.typeOnly && sources.has(t)) edges.push(t);
      if (isTest(file)) continue;
      const rel = `${imp.spec} (${t})`;
      if (under(t, 'local') && !under(file, 'local')) flag('nothing-imports-local', file, rel);
      if (under(file, 'core')) {
        for (const outer of ['functions', 'local', 'lib', 'bin']) {
          if (under(t, outer)) flag('core-inward-only', file, rel);
        }
        if (isPackage(t, 'aws-lambda') || isPackage(t, '@middy')) flag('core-no-lambda-types', file, rel);
        if (under(file, 'core/outbound') && under(t, 'adapters')) {
          flag('outbound-signing-is-ours', file, rel);
        }
      }
      if (isNetworkModule(t) && (under(file, 'adapters') || under(file, 'functions'))) {
        flag('network-through-guard', file, rel);
      }
      if (isNetworkModule(t) && under(file, 'core') && !GUARDED_SENDERS.includes(file) && !imp.typeOnly) {
        if (!(isPackage(t, 'node:net') && ADDRESS_CHECKERS.includes(file))) {
          flag('network-through-guard', file, rel);
        }
      }
      if (under(file, 'adapters')) {
        if (under(t, 'core')) flag('adapters-no-core', file, rel);
        if (isPackage(t, '@aws-sdk') || isPackage(t, '@aws-lambda-powertools')) {
          flag('adapters-no-aws', file, rel);
        }
      }
      if (isWebhookKeys(file) && !webhookKeysMayRead(imp)) {
        flag('webhook-keys-light', file, `${rel}${imp.typeOnly ? '' : ' (a value import)'}`);
      }
      if (under(file, 'functions')) {
        if (under(t, 'core/store')) flag('handlers-no-store', file, rel);
        // Response schemas and the document generator exist for docs and tests: in no bundle.
        if (!isContract(file) && isContract(t)) flag('contracts-out-of-handlers', file, rel);
        if (isPackage(t, '@aws-sdk')) flag('handlers-no-aws-sdk', file, rel);
      }
      const provider = providerFolder(t);
      if (provider && !under(file, 'adapters')) {
        flag('providers-through-registry', file, rel);
      }
      if (
        DYNAMO_PACKAGES.some((p) => isPackage(t, p)) &&
        !under(file, 'core/store') &&
        !under(file, 'core/platform') &&
        !under(file, 'local')
      ) {
        flag('dynamodb-only-in-store', file, rel);
      }
      if (under(file, 'lib') && t.includes('/') && sources.has(t) && !under(t, 'lib')) {
        if (!LIB_MAY_READ.includes(t)) flag('lib-reads-definitions-only', file, rel);
      }
      if (TABLES.includes(file) && !isZod(t) && !LIB_MAY_READ.includes(t)) {
        const theirs = importsOf(t, sources.get(t) ?? '', exists);
        if (!sources.has(t) || theirs.some((i) => !isZod(i.target))) {
          flag('tables-read-definitions-only', file, `${rel} is not a zod-only schema module`);
        }
      }
    }
    graph.set(file, edges);
  }

  for (const cycle of cyclesOf(graph, (f) => !isTest(f))) {
    flag('no-cycles', cycle[0] as string, cycle.join(' → '));
  }
  return violations;
};

/** Strongly connected components of more than one module (Tarjan), over value imports. */
const cyclesOf = (graph: Map<string, string[]>, include: (f: string) => boolean): string[][] => {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!include(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v) as number, idx.get(w) as number));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (include(v) && !idx.has(v)) visit(v);
  return out;
};

const SKIP = new Set(['node_modules', 'cdk.out', '.local', '.git', '.ci-out', 'client']);

/** Every .ts file of the tree, by repository path. */
export const readTree = (root: string): Map<string, string> => {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (SKIP.has(name) || name.startsWith('.')) continue;
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) {
        files.set(relative(root, full), readFileSync(full, 'utf8'));
      }
    }
  };
  walk(root);
  return files;
};

export const treeExists = existsSync;
