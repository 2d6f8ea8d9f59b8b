import { readPage, scopeOf } from '../platform/paging';
import * as repo from '../store/integrations-repo';
import { integrationView } from './read';

/*
 * GET /v1/integrations, apart from read.ts: its cursors need the data key, and esbuild's
 * splitting keeps the shared chunk holding it (with the Secrets Manager client, 15 KB) in
 * every handler whose modules import it, used or not — and read.ts is imported by most.
 */
export const listIntegrations = async (
  tenantId: string,
  page: { limit: number; cursor?: string | undefined },
) => {
  const { items, next_cursor } = await readPage(tenantId, scopeOf('integrations', {}), page, (limit, start) =>
    repo.listIntegrations(tenantId, limit, start),
  );
  return { integrations: items.map(integrationView), next_cursor };
};
