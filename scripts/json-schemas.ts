import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import * as z from 'zod/mini';
import { loadManifest, providerNames } from '../adapters/manifests';
import { modelSchemas } from '../adapters/models';
import { type JsonSchema, type ModelName, type ProviderSchemas, providerFolder } from '../adapters/schemas';
import { writeOrCheck } from './generated-files';

/**
 * `npm run schemas`: writes each provider's zod schemas (config, action inputs) as JSON Schema,
 * with each action's description and `writes` (its tool as listed), into
 * adapters/<provider>/schemas.generated.json, and each record model's (adapters/models.ts)
 * into adapters/model-schemas/<model>.generated.json, which the
 * catalog, provider detail and connect page read (adapters/schemas.ts) instead of converting
 * per container: zod's `toJSONSchema` is then in no handler. `npm run schemas -- --check`
 * writes nothing and fails when a file is stale or missing, as test/unit/json-schemas.test.ts
 * does.
 */
const root = resolve(import.meta.dirname, '..');

/** A zod schema as the JSON Schema the API publishes (catalog, tools), without `$schema`. */
export const jsonSchema = (schema: z.ZodMiniType): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema) as JsonSchema;
  return rest;
};

/** The path, from the repository root, of a provider's generated file. */
export const schemasPath = (name: (typeof providerNames)[number]): string =>
  `adapters/${providerFolder(name)}/schemas.generated.json`;

/** What a provider's generated file holds, converted from its manifest now. */
export const providerSchemas = async (name: (typeof providerNames)[number]): Promise<ProviderSchemas> => {
  const m = await loadManifest(name);
  if (!m) throw new Error(`no manifest for ${name}`);
  return {
    config: jsonSchema(m.config),
    actions: Object.fromEntries(
      m.actions.map((a) => [
        a.name,
        { description: a.description, writes: a.writes, input_schema: jsonSchema(a.input) },
      ]),
    ),
  };
};

/** The path, from the repository root, of a record model's generated file. */
export const modelSchemaPath = (model: ModelName): string => `adapters/model-schemas/${model}.generated.json`;

const fileText = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Every generated file's path and text. */
export const generated = async (): Promise<Record<string, string>> => {
  const out: Record<string, string> = {};
  for (const name of providerNames) {
    // The file goes beside the manifest: a provider whose folder is not its name in kebab
    // case would get a file nothing imports — refuse instead.
    if (!existsSync(resolve(root, 'adapters', providerFolder(name), 'manifest.ts')))
      throw new Error(`${name}: no adapters/${providerFolder(name)}/manifest.ts`);
    out[schemasPath(name)] = fileText(await providerSchemas(name));
  }
  for (const [model, schema] of Object.entries(modelSchemas))
    out[modelSchemaPath(model as ModelName)] = fileText(jsonSchema(schema));
  return out;
};

const main = async () => writeOrCheck(root, await generated(), 'npm run schemas');

if (import.meta.url === `file://${process.argv[1]}`) await main();
