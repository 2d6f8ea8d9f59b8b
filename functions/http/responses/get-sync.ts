import { defineContract } from '../../openapi/contract';
import { sync } from '../../openapi/shapes/syncs';

export const contract = defineContract({
  tag: 'Syncs',
  summary: 'Get a sync',
  success: { status: 200, description: 'The sync.', data: sync },
  parameters: { id: '`conn_…`', name: 'The sync (`issues`).' },
});
