import * as z from 'zod/mini';

/** A zod schema as the JSON Schema the API publishes (catalog, tools), without `$schema`. */
export const jsonSchema = (schema: z.ZodMiniType): Record<string, unknown> => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  return rest;
};
