import { readPage, scopeOf } from '../platform/paging';
import * as repo from '../store/connections-repo';
import { connectionView } from './read';

/*
 * The connections list, apart from read.ts: its cursors need the data key (and with it the
 * Secrets Manager client, 13 KB), which the many handlers that read one connection don't —
 * esbuild's splitting keeps a shared chunk a module's graph reaches even when the entry
 * uses none of it, so the import itself costs them.
 */
export const listConnections = async (
  tenantId: string,
  filter: repo.ConnectionFilter,
  page: { limit: number; cursor?: string | undefined },
) => {
  const { items, next_cursor } = await readPage(
    tenantId,
    scopeOf('connections', filter),
    page,
    (limit, start) => repo.listConnections(tenantId, filter, limit, start),
  );
  return { connections: items.map(connectionView), next_cursor };
};
