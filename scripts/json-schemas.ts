import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import * as z from 'zod/mini';
import type { CatalogEntry } from '../adapters/catalog';
import { type JsonSchema, type ProviderDescription, providerFolder } from '../adapters/descriptions';
import { loadManifest, type ProviderName, providerNames } from '../adapters/manifests';
import { modelSchemas } from '../adapters/models';
import type { ModelName } from '../adapters/schemas';
import type { ProviderManifest } from '../adapters/types';
import { type ToolView, toolView } from '../core/tools/catalog';
import { writeOrCheck } from './generated-files';

/**
 * `npm run schemas`: writes, from the manifests and models (the one source of truth), what the
 * handlers that describe providers read instead of them, as plain JSON:
 * - each provider's DESCRIPTION (adapters/descriptions.ts): its manifest's plain fields as they
 *   are, its config and action input schemas as JSON Schema, into
 *   adapters/<provider>/description.generated.json;
 * - the provider catalog (adapters/catalog.ts: what GET /v1/providers lists and filters on)
 *   into adapters/catalog.generated.json, and every tool as GET /v1/tools lists it into
 *   adapters/tools.generated.json, one file each in registry order;
 * - each record model's schema (adapters/models.ts) into adapters/model-schemas/<model>.generated.json.
 * zod's `toJSONSchema` is then in no handler, and a describing handler loads no manifest (whose
 * zod schemas are built when it loads). `npm run schemas -- --check` writes nothing and fails
 * when a file is stale or missing, as test/unit/json-schemas.test.ts does.
 */
const root = resolve(import.meta.dirname, '..');

/** A zod schema as the JSON Schema the API publishes (catalog, tools), without `$schema`. */
export const jsonSchema = (schema: z.ZodMiniType): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema) as JsonSchema;
  return rest;
};

/** The path, from the repository root, of a provider's generated description. */
export const descriptionPath = (name: ProviderName): string =>
  `adapters/${providerFolder(name)}/description.generated.json`;

/**
 * A manifest's description: its plain fields as they are, its zod schemas converted. Typed by
 * ProviderDescription (derived from the manifest's type): a field renamed or added there is
 * carried, or is a type error here.
 */
export const describeManifest = (m: ProviderManifest): ProviderDescription => {
  const { config, syncs, actions, ...plain } = m;
  return {
    ...plain,
    configSchema: jsonSchema(config),
    syncs: syncs.map((s) => ({ ...s })),
    // `output` types the code's answer; nothing describes it (yet).
    actions: actions.map(({ input, output: _output, ...a }) => ({ ...a, inputSchema: jsonSchema(input) })),
  };
};

/** What the catalog reads of a provider (adapters/catalog.ts), from its description. */
export const catalogEntry = (d: ProviderDescription): CatalogEntry => ({
  name: d.name,
  displayName: d.displayName,
  categories: d.categories,
  curated: d.curated,
  auth: Object.fromEntries(Object.keys(d.auth).map((mode) => [mode, true])),
  syncs: d.syncs.map((s) => ({ name: s.name, model: s.model })),
  actions: d.actions.map((a) => ({ name: a.name })),
  ...(d.webhooks ? { webhooks: true } : {}),
});

/** The path, from the repository root, of a record model's generated file. */
export const modelSchemaPath = (model: ModelName): string => `adapters/model-schemas/${model}.generated.json`;

export const CATALOG_PATH = 'adapters/catalog.generated.json';
export const TOOLS_PATH = 'adapters/tools.generated.json';

const fileText = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Every generated file's path and text. */
export const generated = async (): Promise<Record<string, string>> => {
  const out: Record<string, string> = {};
  const catalog: CatalogEntry[] = [];
  const tools: ToolView[] = [];
  for (const name of providerNames) {
    // The file goes beside the manifest: a provider whose folder is not its name in kebab
    // case would get a file nothing imports — refuse instead.
    if (!existsSync(resolve(root, 'adapters', providerFolder(name), 'manifest.ts')))
      throw new Error(`${name}: no adapters/${providerFolder(name)}/manifest.ts`);
    const m = await loadManifest(name);
    if (!m) throw new Error(`no manifest for ${name}`);
    const d = describeManifest(m);
    out[descriptionPath(name)] = fileText(d);
    catalog.push(catalogEntry(d));
    tools.push(...d.actions.map((a) => toolView(d.name, a)));
  }
  out[CATALOG_PATH] = fileText(catalog);
  out[TOOLS_PATH] = fileText(tools);
  for (const [model, schema] of Object.entries(modelSchemas))
    out[modelSchemaPath(model as ModelName)] = fileText(jsonSchema(schema));
  return out;
};

const main = async () => writeOrCheck(root, await generated(), 'npm run schemas');

if (import.meta.url === `file://${process.argv[1]}`) await main();
