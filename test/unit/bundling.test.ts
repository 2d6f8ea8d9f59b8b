import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, buildSync, type Metafile, type Plugin } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { providerNames } from '../../adapters/manifests';
import { routes } from '../../functions/routes';
import {
  entryFile,
  esbuildOptions,
  NODE_FLAGS_WRAPPER,
  nodeEnvironment,
  pruneUnreachable,
  reachableOutputs,
} from '../../lib/bundling';
import { withoutProvider } from '../bench/handlers';

/**
 * The deployed artifact (lib/bundling.ts, built by lib/house-function.ts as CDK synthesises):
 * split so that each provider's implementation and manifest is a chunk of its own, loaded by
 * the registries' dynamic imports, and nothing the entry can't load is deployed.
 */
const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'bundling-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const bundle = (entry: string, name: string): { dir: string; metafile: Metafile } => {
  const dir = join(work, name);
  const result = buildSync({ ...esbuildOptions(join(root, entry), dir, root), logLevel: 'silent' });
  if (!result.metafile) throw new Error('no metafile');
  return { dir, metafile: result.metafile };
};

/** Source modules in the entry's static graph (what loads at cold start). */
const staticInputs = (metafile: Metafile, dir: string): string[] => {
  const seen = new Set<string>();
  const visit = (o: string) => {
    if (seen.has(o)) return;
    seen.add(o);
    for (const i of metafile.outputs[o]?.imports ?? [])
      if (!i.external && i.kind !== 'dynamic-import') visit(i.path);
  };
  visit(relative(root, entryFile(dir)));
  return [...seen].flatMap((o) => Object.keys(metafile.outputs[o]?.inputs ?? {}));
};

describe('split bundles', () => {
  it('make each provider a chunk of its own, loaded on demand, and run from them', () => {
    const { dir, metafile } = bundle('test/unit/fixtures/registry-probe.ts', 'probe');
    const chunkOf = (source: string) =>
      Object.entries(metafile.outputs).filter(([, o]) => o.entryPoint === source);
    for (const name of providerNames) {
      const folder = name.replaceAll('_', '-');
      expect(chunkOf(`adapters/${folder}/index.ts`), name).toHaveLength(1);
      expect(chunkOf(`adapters/${folder}/manifest.ts`), name).toHaveLength(1);
    }
    // No provider's code or manifest is in the entry's static graph.
    expect(staticInputs(metafile, dir).filter((i) => /^adapters\/[^/]+\//.test(i))).toEqual([]);

    const script = `const { probe } = await import(${JSON.stringify(pathToFileURL(entryFile(dir)).href)}); process.stdout.write(JSON.stringify(await probe()));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: work });
    expect(JSON.parse(out.toString())).toEqual({
      github: 'github',
      actions: ['list_repos', 'list_issues', 'create_issue', 'list_pull_requests', 'comment_on_issue'],
      linear: 'Linear',
      sameManifest: true,
      inputParsed: true,
      unknown: true,
      schemas: ['list_repos', 'list_issues', 'create_issue', 'list_pull_requests', 'comment_on_issue'],
      model: 'object',
    });
  });

  it('give each provider’s description a chunk of its own, and no handler zod’s converter', () => {
    // The handlers that describe one provider read its description, generated at build time
    // (adapters/descriptions.ts): each provider's file is loaded on demand, like its manifest.
    const zodConverter = (metafile: Metafile, dir: string, handler: string) => {
      const deployed = [...reachableOutputs(metafile, dir, root)].flatMap((o) =>
        Object.keys(metafile.outputs[o]?.inputs ?? {}),
      );
      expect(
        deployed.filter((i) => /zod\/v4\/core\/(to-json-schema|json-schema-processors)/.test(i)),
        handler,
      ).toEqual([]);
    };
    for (const handler of ['get-provider', 'connect-page', 'create-connect-session', 'mcp']) {
      const { dir, metafile } = bundle(`functions/http/${handler}.ts`, `descriptions-${handler}`);
      for (const name of providerNames) {
        const source = `adapters/${name.replaceAll('_', '-')}/description.generated.json`;
        const chunks = Object.values(metafile.outputs).filter((o) => o.entryPoint === source);
        expect(chunks, `${handler}: ${name}`).toHaveLength(1);
      }
      expect(
        staticInputs(metafile, dir).filter((i) => i.includes('.generated.json')),
        handler,
      ).toEqual([]);
      zodConverter(metafile, dir, handler);
    }
    // The catalogs read one generated file each and no provider's chunk: no description, no
    // manifest, no zod schema built at load.
    for (const [handler, file] of [
      ['list-providers', 'adapters/catalog.generated.json'],
      ['list-tools', 'adapters/tools-catalog.generated.ts'],
    ] as const) {
      const { dir, metafile } = bundle(`functions/http/${handler}.ts`, `catalog-${handler}`);
      const reachable = [...reachableOutputs(metafile, dir, root)];
      const inputs = reachable.flatMap((o) => Object.keys(metafile.outputs[o]?.inputs ?? {}));
      expect(inputs, handler).toContain(file);
      expect(
        inputs.filter((i) => /^adapters\/[^/]+\//.test(i)),
        handler,
      ).toEqual([]);
      zodConverter(metafile, dir, handler);
    }
  });

  it('load only the part of a provider a handler runs: accounts, toolsets, or the whole implementation', () => {
    // Everything a handler can ever load, dynamic imports followed (what it deploys).
    const reachableInputs = (handler: string) => {
      const { dir, metafile } = bundle(`functions/http/${handler}.ts`, `parts-${handler}`);
      return [...reachableOutputs(metafile, dir, root)].flatMap((o) =>
        Object.keys(metafile.outputs[o]?.inputs ?? {}),
      );
    };
    const operations = /^adapters\/(index\.ts|[^/]+\/(index|syncs|webhooks)\.ts)$/;
    // Connect, tokens, proxy, revoke: each provider's account, none of its operations, and no
    // record model (adapters/models.ts builds every model's zod schema at load).
    for (const handler of [
      'create-connection',
      'oauth-callback',
      'get-token',
      'proxy',
      'delete-connection',
    ]) {
      const inputs = reachableInputs(handler);
      for (const name of providerNames)
        expect(inputs, handler).toContain(`adapters/${name.replaceAll('_', '-')}/account.ts`);
      expect(
        inputs.filter((i) => operations.test(i) || i === 'adapters/models.ts' || i.endsWith('/toolset.ts')),
        handler,
      ).toEqual([]);
    }
    // Tools: each provider's actions on its account, neither its syncs nor its webhook handling.
    for (const handler of ['execute-tool', 'mcp']) {
      const inputs = reachableInputs(handler);
      for (const name of providerNames)
        expect(inputs, handler).toContain(`adapters/${name.replaceAll('_', '-')}/toolset.ts`);
      expect(
        inputs.filter((i) => operations.test(i)),
        handler,
      ).toEqual([]);
    }
  });

  it('grow by registry lines alone when a provider is added: no other chunk moves', async () => {
    // The last provider registered cut out of every registry and catalog (the handler bench's
    // plugin), as if it had never been added. Adding it may add its own chunks and one line to
    // each registry; if it moved a chunk boundary instead (its account importing a different set
    // of the shared adapter modules than every other's did: csv's manifest without
    // defineManifest split them), every provider's chunk would carry one more import, and each
    // handler that runs a provider would grow by more than its registry lines.
    const last = providerNames.at(-1) as string;
    const folder = last.replaceAll('_', '-');
    const registries = /^adapters\/(index|accounts|toolsets|descriptions|configs|manifests)\.ts$/;
    const chunksOf = async (handler: string, plugins: Plugin[]) => {
      const r = await build({
        ...esbuildOptions(join(root, `functions/http/${handler}.ts`), join(work, `growth-${handler}`), root),
        write: false,
        logLevel: 'silent',
        plugins,
      });
      return Object.values(r.metafile?.outputs ?? {}).flatMap((o) => {
        const inputs = Object.keys(o.inputs).sort();
        if (inputs.length === 0 || inputs.some((i) => i.startsWith(`adapters/${folder}/`))) return [];
        return [
          { inputs: inputs.join(' '), bytes: o.bytes, registry: inputs.some((i) => registries.test(i)) },
        ];
      });
    };
    for (const handler of ['create-connection', 'execute-tool', 'mcp']) {
      const [withIt, without] = await Promise.all([
        chunksOf(handler, []),
        chunksOf(handler, [withoutProvider(folder)]),
      ]);
      const sizes = (outs: typeof withIt) => new Map(outs.map((o) => [o.inputs, o.bytes]));
      // Every chunk but the new provider's own: the same modules (no boundary moved).
      expect([...sizes(withIt).keys()].sort(), handler).toEqual([...sizes(without).keys()].sort());
      // And about the same size: the registries one short line each; the rest a byte or two
      // where the minifier names one more export.
      const total = (outs: typeof withIt, registry: boolean) =>
        outs.filter((o) => o.registry === registry).reduce((n, o) => n + o.bytes, 0);
      const registryLines = total(withIt, true) - total(without, true);
      const rest = total(withIt, false) - total(without, false);
      expect(registryLines, handler).toBeGreaterThan(0);
      expect(registryLines + rest, handler).toBeLessThan(200);
    }
  });

  it('deploy only what the entry can load: chunks of dynamic imports tree shaking dropped are pruned', () => {
    // The fixture imports the description registry's module for a helper that needs no provider;
    // esbuild still emits a chunk for every import() it saw.
    const { dir, metafile } = bundle('test/unit/fixtures/unused-registry.ts', 'unused-registry');
    const providerChunks = () =>
      Object.entries(metafile.outputs)
        .filter(([, o]) => o.entryPoint?.startsWith('adapters/'))
        .map(([path]) => resolve(root, path))
        .filter((p) => existsSync(p));
    expect(providerChunks().length).toBeGreaterThan(0);
    const reachable = reachableOutputs(metafile, dir, root);
    expect([...reachable].some((o) => metafile.outputs[o]?.entryPoint?.startsWith('adapters/'))).toBe(false);
    pruneUnreachable(metafile, dir, root);
    expect(providerChunks()).toEqual([]);
    // What stays is exactly what the entry reaches, each with its source map.
    const left = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => relative(root, join(d.parentPath, d.name)));
    const code = [...reachable].filter((o) => o.endsWith('.mjs'));
    expect(left.sort()).toEqual(code.flatMap((o) => [o, `${o}.map`]).sort());
    expect(left).toContain(relative(root, entryFile(dir)));
  });

  it('give an API function its own rows of the route table, not the table', () => {
    // functions/middleware/route-auth.ts: the rows are written in at bundle time; the branch
    // that imports functions/routes.ts is dropped, and the rows decide as the table did.
    const { dir, metafile } = bundle('functions/http/health.ts', 'health');
    // esbuild still emits a chunk for the dropped import(); nothing can load it (it is pruned).
    const inputs = [...reachableOutputs(metafile, dir, root)].flatMap((o) =>
      Object.keys(metafile.outputs[o]?.inputs ?? {}),
    );
    expect(inputs).toContain('functions/middleware/route-auth.ts');
    expect(inputs).not.toContain('functions/routes.ts');
    const invoke = (routeKey: string) => {
      const event = {
        routeKey,
        rawPath: '/health',
        headers: {},
        requestContext: { http: { method: 'GET' } },
      };
      const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(entryFile(dir)).href)}); const r = await handler(${JSON.stringify(event)}, { awsRequestId: 'r', functionName: 'f' }); process.stdout.write('\\nRESULT ' + JSON.stringify(r));`;
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: work,
        env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1' },
      });
      // The request's log lines share stdout: the answer is the line after the marker.
      const line =
        out
          .toString()
          .split('\n')
          .find((l) => l.startsWith('RESULT ')) ?? '';
      return JSON.parse(line.slice('RESULT '.length)) as { statusCode: number; body: string };
    };
    // Its own route, public: answered without credentials.
    expect(invoke('GET /health')).toMatchObject({ statusCode: 200 });
    // Another function's route key is no route of this one's (404), as API Gateway never sends.
    const other = invoke('GET /v1/providers');
    expect(other.statusCode).toBe(404);
    expect(JSON.parse(other.body)).toMatchObject({ error: { code: 'not_found' } });
  });

  it('keep the code that reads a route’s assets in index.mjs, beside the copied assets/ folder', () => {
    // lib/house-function.ts copies `assets` next to index.mjs; the module reading them with
    // `new URL('./assets/…', import.meta.url)` must be in the entry, not in a chunk under chunks/.
    const withAssets = routes.filter((r) => r.assets !== undefined);
    expect(withAssets.length).toBeGreaterThan(0);
    for (const r of withAssets) {
      const { dir, metafile } = bundle(r.handler, `assets-${r.handler.replaceAll('/', '-')}`);
      const readers = Object.entries(metafile.outputs)
        .filter(([, o]) => Object.keys(o.inputs).includes('functions/connect-page/assets.ts'))
        .map(([path]) => path);
      expect(readers, r.handler).toEqual([relative(root, entryFile(dir))]);
    }
  });
});

describe('a function’s own Node flags', () => {
  // Lambda's runtime starts node as `node <heap flags sized from memory> <its script>`: 1,024 MB.
  const runtimeFlags = ['--max-semi-space-size=51', '--max-old-space-size=922'];
  const script = join(work, 'heap-limit.mjs');
  writeFileSync(
    script,
    "import { getHeapStatistics } from 'node:v8'; process.stdout.write(String(getHeapStatistics().heap_size_limit / 2 ** 20));",
  );
  const heapLimitMb = (command: string, args: string[], env: Record<string, string>): number =>
    Number(execFileSync(command, args, { env: { PATH: process.env.PATH ?? '', ...env } }).toString());

  it('lose to the runtime’s heap flags in NODE_OPTIONS, and hold through the wrapper', () => {
    const asRuntime = heapLimitMb(process.execPath, [...runtimeFlags, script], {});
    const inNodeOptions = heapLimitMb(process.execPath, [...runtimeFlags, script], {
      NODE_OPTIONS: '--max-old-space-size=200',
    });
    expect(inNodeOptions).toBe(asRuntime);
    const env = nodeEnvironment(['--max-old-space-size=200']);
    expect(env.AWS_LAMBDA_EXEC_WRAPPER).toBe(`/var/task/${NODE_FLAGS_WRAPPER}`);
    const wrapped = heapLimitMb(
      'sh',
      [join(root, 'lib', NODE_FLAGS_WRAPPER), process.execPath, ...runtimeFlags, script],
      { NODE_OPTIONS: env.NODE_OPTIONS ?? '', NODE_FLAGS: env.NODE_FLAGS ?? '' },
    );
    expect(asRuntime - wrapped).toBe(922 - 200);
  });

  it('leave a function without any to node’s command line as the runtime wrote it', () => {
    expect(nodeEnvironment()).toEqual({ NODE_OPTIONS: '--enable-source-maps' });
    const args = execFileSync('sh', [join(root, 'lib', NODE_FLAGS_WRAPPER), 'printf', '%s|', 'a b', 'c'], {
      env: { PATH: process.env.PATH ?? '' },
    }).toString();
    expect(args).toBe('a b|c|');
  });
});
