import type { MiddlewareObj } from '@middy/core';
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { ApiError } from '../../core/platform/errors';
import type { ApiEvent, ApiResult } from './types';

// zod/mini ships no messages by default: load the English ones so `details.issues`
// says what is wrong ("Too big: expected number to be <=100"), not "Invalid input".
z.config(en());

export type Schemas = { body?: z.ZodMiniType; query?: z.ZodMiniType; path?: z.ZodMiniType };

const issuesOf = (where: string, error: z.core.$ZodError) =>
  error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));

/** Validates body, query and path against the route's zod schemas (422 `validation_failed`). */
export const validate = (schemas: Schemas): MiddlewareObj<ApiEvent, ApiResult> => ({
  before: (request) => {
    const { event } = request;
    const issues: { path: string; message: string }[] = [];
    const parsed: Record<string, unknown> = {};
    const inputs = {
      body: event.state.json,
      query: event.queryStringParameters ?? {},
      path: event.pathParameters ?? {},
    };
    for (const where of ['body', 'query', 'path'] as const) {
      const schema = schemas[where];
      if (!schema) continue;
      const r = schema.safeParse(inputs[where]);
      if (r.success) parsed[where] = r.data;
      else issues.push(...issuesOf(where, r.error));
    }
    if (issues.length > 0) {
      throw new ApiError('validation_failed', 'The request does not match the schema.', {
        details: { issues },
      });
    }
    event.state.parsed = parsed;
  },
});
