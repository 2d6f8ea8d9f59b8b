import * as z from 'zod/mini';

/**
 * Workspace ids are the tenant's own; `#` is kept out because it separates key parts.
 * On its own so path schemas can use it without bundling the tool catalog (every adapter).
 */
export const workspaceId = z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,128}$/));
