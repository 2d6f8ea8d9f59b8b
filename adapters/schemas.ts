import type { ProviderName } from './manifests';
import type { modelSchemas } from './models';

/** A JSON Schema as the API publishes it (without `$schema`). */
export type JsonSchema = Record<string, unknown>;

/**
 * One provider's zod schemas as JSON Schema, generated from its manifest by `npm run schemas`
 * (scripts/json-schemas.ts) into adapters/<provider>/schemas.generated.json; the record models
 * likewise (adapters/models.ts) into adapters/model-schemas/<model>.generated.json, a file each
 * because providers share them. The manifests and models stay the one source of truth;
 * converting at build time keeps zod's `toJSONSchema` (≈ 30 KB) out of every handler that
 * describes providers or tools.
 */
export type ProviderSchemas = {
  /** The manifest's config schema. */
  config: JsonSchema;
  /**
   * Each action by name, as its tool is listed (GET /v1/tools): the catalog of tools is read
   * from these files alone, without loading a manifest.
   */
  actions: Record<string, ActionEntry>;
};

export type ActionEntry = { description: string; writes: boolean; input_schema: JsonSchema };

/**
 * Each provider's generated schemas, a module of its own loaded when asked for, like its
 * manifest (adapters/manifests.ts): a handler that describes one provider loads that one's
 * schemas (a chunk of its own in the split bundle, lib/bundling.ts). Keyed by every provider
 * name, so a provider added to the manifests without a line here is a type error, and a line
 * here whose file was never generated fails to compile and to bundle.
 */
const schemaModules = {
  github: () => import('./github/schemas.generated.json', { with: { type: 'json' } }),
  gitlab: () => import('./gitlab/schemas.generated.json', { with: { type: 'json' } }),
  jira: () => import('./jira/schemas.generated.json', { with: { type: 'json' } }),
  linear: () => import('./linear/schemas.generated.json', { with: { type: 'json' } }),
  clickup: () => import('./clickup/schemas.generated.json', { with: { type: 'json' } }),
  slack: () => import('./slack/schemas.generated.json', { with: { type: 'json' } }),
  microsoft_teams: () => import('./microsoft-teams/schemas.generated.json', { with: { type: 'json' } }),
  google_calendar: () => import('./google-calendar/schemas.generated.json', { with: { type: 'json' } }),
  datadog: () => import('./datadog/schemas.generated.json', { with: { type: 'json' } }),
  sonarcloud: () => import('./sonarcloud/schemas.generated.json', { with: { type: 'json' } }),
  bitbucket: () => import('./bitbucket/schemas.generated.json', { with: { type: 'json' } }),
  resend: () => import('./resend/schemas.generated.json', { with: { type: 'json' } }),
  figma: () => import('./figma/schemas.generated.json', { with: { type: 'json' } }),
  azure_devops: () => import('./azure-devops/schemas.generated.json', { with: { type: 'json' } }),
  azure_boards: () => import('./azure-boards/schemas.generated.json', { with: { type: 'json' } }),
  notion: () => import('./notion/schemas.generated.json', { with: { type: 'json' } }),
  stripe: () => import('./stripe/schemas.generated.json', { with: { type: 'json' } }),
  outlook: () => import('./outlook/schemas.generated.json', { with: { type: 'json' } }),
  gmail: () => import('./gmail/schemas.generated.json', { with: { type: 'json' } }),
  csv: () => import('./csv/schemas.generated.json', { with: { type: 'json' } }),
} satisfies Record<ProviderName, () => Promise<{ default: ProviderSchemas }>>;

export type ModelName = keyof typeof modelSchemas;

/** Each record model's generated schema, loaded when asked for (a chunk each). */
const modelModules = {
  work_item: () => import('./model-schemas/work_item.generated.json', { with: { type: 'json' } }),
  pull_request: () => import('./model-schemas/pull_request.generated.json', { with: { type: 'json' } }),
  repository: () => import('./model-schemas/repository.generated.json', { with: { type: 'json' } }),
  project: () => import('./model-schemas/project.generated.json', { with: { type: 'json' } }),
  channel: () => import('./model-schemas/channel.generated.json', { with: { type: 'json' } }),
  message: () => import('./model-schemas/message.generated.json', { with: { type: 'json' } }),
  user: () => import('./model-schemas/user.generated.json', { with: { type: 'json' } }),
  calendar_event: () => import('./model-schemas/calendar_event.generated.json', { with: { type: 'json' } }),
  metric: () => import('./model-schemas/metric.generated.json', { with: { type: 'json' } }),
  quality_gate: () => import('./model-schemas/quality_gate.generated.json', { with: { type: 'json' } }),
  document: () => import('./model-schemas/document.generated.json', { with: { type: 'json' } }),
  pipeline_run: () => import('./model-schemas/pipeline_run.generated.json', { with: { type: 'json' } }),
  commit: () => import('./model-schemas/commit.generated.json', { with: { type: 'json' } }),
  customer: () => import('./model-schemas/customer.generated.json', { with: { type: 'json' } }),
  subscription: () => import('./model-schemas/subscription.generated.json', { with: { type: 'json' } }),
  invoice: () => import('./model-schemas/invoice.generated.json', { with: { type: 'json' } }),
} satisfies Record<ModelName, () => Promise<{ default: JsonSchema }>>;

/** A record model's generated schema; undefined for a model that has none (yet). */
export const loadModelSchema = async (model: string): Promise<JsonSchema | undefined> =>
  Object.hasOwn(modelModules, model) ? (await modelModules[model as ModelName]()).default : undefined;

/** The folder of a provider under adapters/: its name in kebab case. */
export const providerFolder = (name: ProviderName): string => name.replaceAll('_', '-');

/** One provider's generated schemas; undefined for a name that is no provider's. */
export const loadSchemas = async (name: string): Promise<ProviderSchemas | undefined> =>
  isSchemaProvider(name) ? (await schemaModules[name]()).default : undefined;

/**
 * Checked against this registry, not adapters/manifests.ts: a handler that reads only
 * generated schemas (the tools catalog) must not keep the manifests' loaders, and with them
 * every manifest chunk. The two hold the same names (`satisfies` above).
 */
const isSchemaProvider = (name: string): name is ProviderName => Object.hasOwn(schemaModules, name);

/** Every provider's generated schemas, in registry order (adapters/manifests.ts's). */
export const loadAllSchemas = (): Promise<[ProviderName, ProviderSchemas][]> =>
  Promise.all(
    (Object.keys(schemaModules) as ProviderName[]).map(
      async (name) => [name, (await schemaModules[name]()).default] as [ProviderName, ProviderSchemas],
    ),
  );

/**
 * An action's input schema. A declared action missing from the generated file means the file
 * is stale (`npm run schemas -- --check` and test/unit/json-schemas.test.ts fail on it): an
 * error rather than a tool published without its schema.
 */
export const actionInputSchema = (schemas: ProviderSchemas, provider: string, action: string): JsonSchema => {
  const entry = schemas.actions[action];
  if (!entry) throw new Error(`${provider}: no generated schema for action ${action}: run npm run schemas`);
  return entry.input_schema;
};
