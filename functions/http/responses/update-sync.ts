import { defineContract } from '../../openapi/contract';
import { sync } from '../../openapi/shapes/syncs';

export const contract = defineContract({
  tag: 'Syncs',
  summary: 'Update a sync',
  description: 'Its frequency (1m to 30d), or pause it.',
  success: { status: 200, description: 'The sync as it is now.', data: sync },
  parameters: { id: '`conn_…`', name: 'The sync (`issues`).' },
});
