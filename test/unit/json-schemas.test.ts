import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { loadManifest, loadManifests, providerNames } from '../../adapters/manifests';
import { modelSchemas } from '../../adapters/models';
import { loadModelSchema, loadSchemas, type ModelName } from '../../adapters/schemas';
import { getProvider } from '../../core/providers/detail';
import { listToolViews, toolsOf, toolViews } from '../../core/tools/catalog';
import { generated } from '../../scripts/json-schemas';

/**
 * The JSON Schemas the API publishes (provider detail, tools, connect page) are generated from
 * the manifests and models at build time (`npm run schemas`, scripts/json-schemas.ts). The
 * committed files must be what the code generates, and what the API serves from them must be,
 * byte for byte, what converting the zod schemas at runtime gave.
 */
const root = resolve(import.meta.dirname, '../..');
const files = await generated();

/** The runtime conversion the handlers used to do (core/platform/json-schema.ts), written out. */
const runtime = (schema: z.ZodMiniType): string => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  return JSON.stringify(rest);
};

describe('generated JSON Schemas', () => {
  it('cover every provider and every model', () => {
    for (const name of providerNames)
      expect(Object.keys(files), name).toContain(
        `adapters/${name.replaceAll('_', '-')}/schemas.generated.json`,
      );
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

  it.each(providerNames)(
    '%s: the loaded schemas are the runtime conversion of its manifest',
    async (name) => {
      const m = await loadManifest(name);
      const loaded = await loadSchemas(name);
      if (!m || !loaded) throw new Error(`${name}: no manifest or no schemas`);
      expect(JSON.stringify(loaded.config)).toBe(runtime(m.config));
      expect(Object.keys(loaded.actions)).toEqual(m.actions.map((a) => a.name));
      for (const a of m.actions)
        expect(JSON.stringify(loaded.actions[a.name]?.input_schema), a.name).toBe(runtime(a.input));

      // And the provider detail serves them as they are.
      const d = await getProvider(name);
      expect(JSON.stringify(d.config_schema)).toBe(runtime(m.config));
      for (const [i, a] of m.actions.entries())
        expect(JSON.stringify(d.actions[i]?.input_schema), a.name).toBe(runtime(a.input));
      for (const [i, s] of m.syncs.entries()) {
        const model = modelSchemas[s.model as ModelName];
        expect(JSON.stringify(d.syncs[i]?.model_schema), s.name).toBe(model ? runtime(model) : 'null');
      }
    },
  );

  it.each(Object.keys(modelSchemas) as ModelName[])(
    'model %s: the loaded schema is the runtime conversion',
    async (model) => {
      expect(JSON.stringify(await loadModelSchema(model))).toBe(runtime(modelSchemas[model]));
    },
  );

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
    expect((await toolViews(github)).map((v) => JSON.stringify(v))).toEqual(
      expected.filter((e) => JSON.parse(e).provider === 'github'),
    );
  });

  it('know no schemas for a name that is no provider’s or model’s', async () => {
    expect(await loadSchemas('gitbub')).toBeUndefined();
    expect(await loadSchemas('__proto__')).toBeUndefined();
    expect(await loadModelSchema('toString')).toBeUndefined();
  });
});
