import { defineContract } from '../../openapi/contract';
import { syncList } from '../../openapi/shapes/syncs';

export const contract = defineContract({
  tag: 'Syncs',
  summary: "List a connection's syncs",
  success: { status: 200, description: 'Every sync of its provider.', data: syncList },
  parameters: { id: '`conn_…`' },
});
