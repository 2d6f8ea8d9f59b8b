import * as z from 'zod/mini';
import { capabilityFilters, categories, listProviders } from '../../core/providers/catalog';
import { endpoint, tenantOf } from '../middleware';
import { pageQuery } from './page-query';

const query = z.strictObject({
  ...pageQuery,
  search: z.optional(z.string().check(z.trim(), z.maxLength(100))),
  category: z.optional(z.enum(categories)),
  capability: z.optional(z.enum(capabilityFilters)),
});

/** GET /v1/providers — the catalog, filtered and paged. */
export const handler = endpoint({ query }, async (req) => {
  const { limit, cursor, ...filter } = req.query;
  return { data: await listProviders(tenantOf(req), filter, { limit, cursor }) };
});
