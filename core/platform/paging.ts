import type { Key } from '../store/query-page';
import { decodeCursor, encodeCursor } from './cursor';
import { ApiError } from './errors';

/** Cursor ⇄ DynamoDB start key, signed and bound to the tenant and the list's scope. */
export const startKeyFrom = async (tenantId: string, scope: string, cursor: string | undefined) => {
  if (cursor === undefined) return undefined;
  const d = await decodeCursor(tenantId, scope, cursor);
  if (typeof d !== 'object' || d === null || Object.values(d).some((v) => typeof v !== 'string')) {
    throw new ApiError('invalid_cursor', 'The cursor is not valid for this list.');
  }
  return d as Key;
};

export const cursorFrom = async (
  tenantId: string,
  scope: string,
  key: Key | undefined,
): Promise<string | null> => (key ? encodeCursor(tenantId, scope, key) : null);

/** A list's scope: its name and its filters, so a cursor can't be replayed with other filters. */
export const scopeOf = (list: string, filters: Record<string, unknown>): string =>
  `${list}?${JSON.stringify(
    Object.entries(filters)
      .filter(([, v]) => v !== undefined)
      .sort(),
  )}`;

export type PageRequest = { limit: number; cursor?: string | undefined };

/**
 * One page of a list the API shows: the cursor checked against the list's scope (its name
 * and filters, `scopeOf`), the page read from its start key, and the next page's cursor
 * signed for the same scope. The caller names and shapes the items.
 */
export const readPage = async <T>(
  tenantId: string,
  scope: string,
  page: PageRequest,
  read: (limit: number, startKey: Key | undefined) => Promise<{ items: T[]; nextKey: Key | undefined }>,
): Promise<{ items: T[]; next_cursor: string | null }> => {
  const r = await read(page.limit, await startKeyFrom(tenantId, scope, page.cursor));
  return { items: r.items, next_cursor: await cursorFrom(tenantId, scope, r.nextKey) };
};
