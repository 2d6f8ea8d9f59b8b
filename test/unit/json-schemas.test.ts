import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { loadDescription } from '../../adapters/descriptions';
import { loadManifest, loadManifests, providerNames } from '../../adapters/manifests';
import { modelSchemas } from '../../adapters/models';
import { loadModelSchema, type ModelName } from '../../adapters/schemas';
import { capabilityFilters, categories, listProviders, summary } from '../../core/providers/catalog';
import { getProvider } from '../../core/providers/detail';
import { listToolViews, toolsOf, toolViews } from '../../core/tools/catalog';
import { generated } from '../../scripts/json-schemas';

/**
 * What the describing handlers read is generated from the manifests and models at build time
 * (`npm run schemas`, scripts/json-schemas.ts): each provider's description, the provider
 * catalog, the tools catalog, the record models' JSON Schemas. The committed files must be what
 * the code generates, and what the API serves from them must be, byte for byte, what reading
 * the manifests and converting their zod schemas at runtime gave.
 */
const root = resolve(import.meta.dirname, '../..');
const files = await generated();

/** The runtime conversion the handlers used to do (core/platform/json-schema.ts), written out. */
const runtime = (schema: z.ZodMiniType): string => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  return JSON.stringify(rest);
};

describe('generated descriptions and JSON Schemas', () => {
  it('cover every provider, the catalogs and every model', () => {
    for (const name of providerNames)
      expect(Object.keys(files), name).toContain(
        `adapters/${name.replaceAll('_', '-')}/description.generated.json`,
      );
    expect(Object.keys(files)).toContain('adapters/catalog.generated.json');
    expect(Object.keys(files)).toContain('adapters/tools.generated.json');
    for (const model of Object.keys(modelSchemas))
      expect(Object.keys(files), model).toContain(`adapters/model-schemas/${model}.generated.json`);
  });

  it.each(Object.keys(files))('%s is what `npm run schemas` generates from the code', (file) => {
    // A missing file reads as undefined and fails here, as it fails `npm run schemas -- --check`.
    let committed: string | undefined;
    try {
      committed = readFileSync(resolve(root, file), 'utf8');
    } catch {
      committed = undefined;
    }
    expect(committed, `${file} is stale or missing: run npm run schemas`).toBe(files[file]);
  });

  it.each(providerNames)('%s: the loaded description is its manifest, schemas converted', async (name) => {
    const m = await loadManifest(name);
    const d = await loadDescription(name);
    if (!m || !d) throw new Error(`${name}: no manifest or no description`);
    // Every plain field as the manifest has it (a value JSON can't carry would differ here).
    const { config, syncs, actions, ...plain } = m;
    const { configSchema, syncs: dSyncs, actions: dActions, ...dPlain } = d;
    expect(dPlain).toStrictEqual(plain);
    expect(dSyncs).toStrictEqual(syncs.map((s) => ({ ...s })));
    expect(JSON.stringify(configSchema)).toBe(runtime(config));
    expect(dActions.map((a) => a.name)).toEqual(actions.map((a) => a.name));
    for (const [i, a] of actions.entries()) {
      const { input, output: _output, ...rest } = a;
      const { inputSchema, ...dRest } = dActions[i] ?? { inputSchema: undefined };
      expect(dRest, a.name).toStrictEqual(rest);
      expect(JSON.stringify(inputSchema), a.name).toBe(runtime(input));
    }

    // And the provider detail serves them as they are.
    const detail = await getProvider(name);
    expect(JSON.stringify(detail.config_schema)).toBe(runtime(config));
    for (const [i, a] of actions.entries())
      expect(JSON.stringify(detail.actions[i]?.input_schema), a.name).toBe(runtime(a.input));
    for (const [i, s] of syncs.entries()) {
      const model = modelSchemas[s.model as ModelName];
      expect(JSON.stringify(detail.syncs[i]?.model_schema), s.name).toBe(model ? runtime(model) : 'null');
    }
  });

  it.each(Object.keys(modelSchemas) as ModelName[])(
    'model %s: the loaded schema is the runtime conversion',
    async (model) => {
      expect(JSON.stringify(await loadModelSchema(model))).toBe(runtime(modelSchemas[model]));
    },
  );

  it('list the providers of GET /v1/providers, for every filter, as the manifests gave them', async () => {
    // What the catalog built from the manifests per container before: the same summaries and
    // filters, over the manifests themselves, in the same order.
    const manifests = (await loadManifests()).sort(
      (a, b) => Number(b.curated) - Number(a.curated) || a.name.localeCompare(b.name),
    );
    const hay = (m: (typeof manifests)[number]) =>
      [
        m.name,
        m.displayName,
        ...m.categories,
        ...m.syncs.flatMap((s) => [s.name, s.model]),
        ...m.actions.map((a) => `${m.name}_${a.name}`),
      ]
        .join(' ')
        .toLowerCase();
    const list = async (filter: Parameters<typeof listProviders>[1]) =>
      JSON.stringify((await listProviders('t_catalog', filter, { limit: 1000 })).providers);
    expect(await list({})).toBe(JSON.stringify(manifests.map(summary)));
    for (const category of categories)
      expect(await list({ category }), category).toBe(
        JSON.stringify(manifests.filter((m) => m.categories.includes(category)).map(summary)),
      );
    for (const search of ['git', 'Issue', 'work_item', 'slack_send', 'calendar', 'zzz'])
      expect(await list({ search }), search).toBe(
        JSON.stringify(manifests.filter((m) => hay(m).includes(search.toLowerCase())).map(summary)),
      );
    for (const capability of capabilityFilters) {
      const expected = manifests.filter((m) =>
        capability === 'syncs'
          ? m.syncs.length > 0
          : capability === 'actions'
            ? m.actions.length > 0
            : capability === 'webhooks'
              ? m.webhooks !== undefined
              : capability === 'csv_import'
                ? m.categories.includes('file_import')
                : capability in m.auth
                  ? true
                  : ['oauth2', 'api_key', 'basic', 'app_install'].includes(capability)
                    ? false
                    : m.syncs.some((s) => s.model === capability),
      );
      expect(await list({ capability }), capability).toBe(JSON.stringify(expected.map(summary)));
    }
  });

  it('list every tool of GET /v1/tools as the manifests and the runtime conversion gave it', async () => {
    // What the catalog built from the manifests per container before, field by field, in order.
    const expected = (await loadManifests()).flatMap((m) =>
      m.actions.map((a) =>
        JSON.stringify({
          name: `${m.name}_${a.name}`,
          provider: m.name,
          description: a.description,
          writes: a.writes,
          input_schema: JSON.parse(runtime(a.input)),
        }),
      ),
    );
    expect((await listToolViews()).map((v) => JSON.stringify(v))).toEqual(expected);
    // The MCP tool list's views of one provider's tools are the same.
    const github = await toolsOf('github');
    expect(toolViews(github).map((v) => JSON.stringify(v))).toEqual(
      expected.filter((e) => JSON.parse(e).provider === 'github'),
    );
  });

  it('know no description for a name that is no provider’s, and no schema for one no model’s', async () => {
    expect(await loadDescription('gitbub')).toBeUndefined();
    expect(await loadDescription('__proto__')).toBeUndefined();
    expect(await loadModelSchema('toString')).toBeUndefined();
  });
});
