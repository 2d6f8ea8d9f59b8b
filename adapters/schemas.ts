import type { JsonSchema } from './descriptions';
import type { modelSchemas } from './models';

/**
 * Each record model's schema as JSON Schema, generated from adapters/models.ts by `npm run schemas`
 * (scripts/json-schemas.ts) into adapters/model-schemas/<model>.generated.json, a file each
 * because providers share them: a provider's detail loads those of the models its syncs write.
 * Converting at build time keeps zod's `toJSONSchema` (≈ 30 KB) out of every handler.
 */
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
