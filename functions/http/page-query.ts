import * as z from 'zod/mini';

/** `?limit=` (default 20, max 100) and `?cursor=`, shared by every list route. */
export const pageQuery = {
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
};
