import { newId } from '../platform/ids';
import * as repo from '../store/connections-repo';

/**
 * The `csv` connection rows of an import land in: one per end user and export source
 * (`jira`, `trello`, … or `custom`), so each source keeps its own records feed and a
 * `mode=full` re-import of one export never deletes another's rows. Not tied to an
 * integration (there is nothing to configure) and holding no credentials.
 */
export const CSV_PROVIDER = 'csv';

const displayNames: Record<string, string> = {
  jira: 'Jira',
  trello: 'Trello',
  asana: 'Asana',
  clickup: 'ClickUp',
  linear: 'Linear',
  github: 'GitHub issues',
  custom: 'CSV',
};

export const csvConnectionFor = async (
  tenantId: string,
  endUserId: string,
  source: string,
  workspaceId: string | undefined,
): Promise<string> => {
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await repo.findByAccount(tenantId, CSV_PROVIDER, endUserId, source);
    if (existing && (await repo.getConnection(tenantId, existing))) return existing;
    const now = new Date().toISOString();
    const name = `${displayNames[source] ?? source} import`;
    const item: repo.ConnectionItem = {
      tenant_id: tenantId,
      connection_id: newId('conn'),
      integration: CSV_PROVIDER,
      provider: CSV_PROVIDER,
      name,
      status: 'active',
      sync_status: 'healthy',
      end_user_id: endUserId,
      ...(workspaceId ? { workspace_id: workspaceId } : {}),
      provider_account: { id: source, name },
      credentials_meta: { type: 'none' },
      sealed: '',
      metadata: {},
      config: {},
      created_at: now,
      updated_at: now,
    };
    // Two imports of a new source at once: one inserts, the other finds it on its next turn.
    if ((await repo.insertConnection(item, { countOnIntegration: false })) === 'created')
      return item.connection_id;
  }
  throw new Error('could not create or find the csv connection');
};
